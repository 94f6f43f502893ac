"""summarizer: news articles about diplomatic meetings -> validated, grounded briefs.

The library works without the CLI::

    from summarizer import load_settings, brief_paths

    settings = load_settings(prompt="brief@v4")          # env and config file apply, as for the CLI
    for outcome in brief_paths(["seeds/"], settings):
        print(outcome.article_id, outcome.error or len(outcome.brief.meetings))

``BriefRunner`` keeps a model loaded across calls; ``summarizer.evaluate`` (and ``evalreport``),
``summarizer.report`` and ``summarizer.batch`` hold the eval, report and batch APIs.
"""

from .config import Settings, load_settings
from .pipeline import BriefRunner, Outcome, brief_paths
from .schema import Brief, Meeting, Participant

__all__ = ["Brief", "BriefRunner", "Meeting", "Outcome", "Participant", "Settings", "brief_paths", "load_settings"]
