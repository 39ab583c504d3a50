import math
from pathlib import Path

from django import forms

from quizzes import essays
from quizzes.models import Review
from quizzes.services.imports import essay_slug, title_from_filename


class EssayImportForm(forms.Form):
    """An essay pasted or uploaded by a teacher; checked the way the import
    checks it, so every reason it cannot be imported shows on the form."""

    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Leave empty to use the text's “# Title” line or the file's name.",
    )
    slug = forms.SlugField(
        max_length=200,
        required=False,
        help_text=(
            "The essay's address. Leave empty to make one from the title; "
            "importing again under the same slug updates that essay."
        ),
    )
    text = forms.CharField(
        label="Paste the essay",
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80}),
        required=False,
        strip=False,  # whitespace only is an empty essay, not "nothing pasted"
    )
    file = forms.FileField(
        label="or upload a plain-text file",
        required=False,
        allow_empty_file=True,  # the essay's own "empty" message is clearer
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,text/plain"}),
    )
    publish = forms.BooleanField(
        label="Publish the questions at once",
        required=False,
        help_text="Otherwise they are drafts for you to review.",
    )

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text"), cleaned.get("file")
        if self.errors:
            return cleaned
        if text and upload:
            raise forms.ValidationError(
                "Paste the text or upload a file, not both.", code="both"
            )
        if not text and not upload:
            raise forms.ValidationError(
                "Paste the essay's text or upload a file.", code="neither"
            )
        fallback = ""
        try:
            if upload:
                fallback = title_from_filename(Path(upload.name).stem)
                text = essays.decode(self._read(upload))
            parsed = essays.parse(text)
            title = cleaned.get("title") or parsed.title or fallback
            if not title:
                raise essays.EssayError(
                    "Give the essay a title (or start the text with a “# Title” line)."
                )
            essay_slug(title=title, slug=cleaned.get("slug", ""))
        except essays.EssayError as error:
            raise forms.ValidationError(str(error), code="essay") from None
        cleaned["essay_text"] = text
        cleaned["fallback_title"] = fallback
        cleaned["name"] = " ".join(title.split())
        return cleaned

    @staticmethod
    def _read(upload) -> bytes:
        if upload.size > essays.MAX_ESSAY_BYTES:
            # Refused before reading it into memory.
            raise essays.EssayError(
                f"The file is too big ({math.ceil(upload.size / 1024):,} KB); an "
                f"essay may be at most {essays.MAX_ESSAY_BYTES // 1024:,} KB. "
                "Split it into several essays."
            )
        return upload.read()


# --- Flashcards: what the study page's requests carry ---------------------------

# Larger numbers are no section or position of any deck, and would overflow
# the database's integers.
_MAX_POSITION = 2**31 - 1


class ScopeForm(forms.Form):
    """Which part of a deck: a section (by order) and, for study ahead, a position."""

    section = forms.IntegerField(min_value=0, max_value=_MAX_POSITION, required=False)
    cram = forms.IntegerField(min_value=0, max_value=_MAX_POSITION, required=False)


class RateForm(ScopeForm):
    rating = forms.TypedChoiceField(choices=Review.Rating.choices, coerce=int)
    token = forms.IntegerField(min_value=0)
    duration_ms = forms.IntegerField(min_value=0, required=False)


class UndoForm(ScopeForm):
    review = forms.IntegerField(min_value=1)
