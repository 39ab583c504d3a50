from quizzes.management.interchange import import_command

Command = import_command("moodle_xml")
