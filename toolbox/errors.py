"""The one exception the engine raises for problems a user can cause."""


class ToolboxError(Exception):
    """A user-facing problem: ``code`` is stable for programs, ``message`` is one localised sentence."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ToolboxError({self.code!r}, {self.message!r})"


class DefinitionError(ToolboxError):
    """Invalid questionnaire definitions (build time): ``problems`` lists every problem found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("bad-definition", "invalid questionnaire definitions:\n" + "\n".join(self.problems))
