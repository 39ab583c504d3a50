from quizzes.management.interchange import export_command

Command = export_command("gift")
