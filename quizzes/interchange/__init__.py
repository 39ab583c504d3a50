"""Questions and cards in and out of PurgeQuiz: Moodle GIFT and XML, Anki
packages, CSV. One module per format, pure parsing and writing on the plain
data of ``items``; ``quizzes.services.interchange`` does the saving."""
