"""One package per program type (ADR 0010).  Each package's ``__init__`` registers exactly one
:class:`~madoguchi.programs.spec.ProgramTypeSpec`; see CONTRIBUTING.md, "Adding a program type"."""
