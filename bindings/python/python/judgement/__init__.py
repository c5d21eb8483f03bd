"""judgement: the rules engine for Ofsted inspection handbooks, from Python.

A thin layer over the engine written in Rust (the native module
``judgement._judgement``): load a ruleset with ``Ruleset.load(path)`` or
``Ruleset.from_sources({label: text})``, then ``evaluate`` evidence to the
outcome the command line prints. Every failure raises ``JudgementError``.
"""

from ._judgement import JudgementError, Ruleset, __version__

__all__ = ["JudgementError", "Ruleset", "__version__"]
