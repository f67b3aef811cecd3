"""Expected failures: each carries the pipeline stage and a one-line reason for the user."""


class PipelineError(Exception):
    """A document or run failed in a way we anticipate; `str()` is the one-line reason."""

    stage = "pipeline"
    status = "failed"

    def __init__(self, reason: str, *, stage: str | None = None) -> None:
        super().__init__(reason)
        if stage:
            self.stage = stage


class UnsupportedInput(PipelineError):
    """The file is not a document this pipeline reads (wrong type, binary noise, empty)."""

    stage = "read"
    status = "unsupported"


class DecodeError(PipelineError):
    stage = "decode"


class UsageError(PipelineError):
    """Bad command-line input: a missing folder, an unreadable warehouse."""

    stage = "cli"
