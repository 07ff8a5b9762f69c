"""CSV exports as KoboToolbox and ODK Central write them for our XLSForm (for the import tests).

Written from what the tools document and do, not from ``toolbox.csvimport``:
- KoboToolbox (formpack ``Export.to_csv``): ``;`` between cells, every cell quoted; headers are
  XML names joined by the group separator (``/`` by default) when groups are included, the bare
  name when not, or labels in one language; values are choice names ("XML values") or labels;
  its own columns ``_id``, ``_uuid``, ``_submission_time`` and others after the fields.
- ODK Central (``lib/data/briefcase.js``): ``,`` between cells; ``SubmissionDate`` first, field
  paths joined by ``-`` (``meta-instanceID`` too), then ``KEY``, ``SubmitterID``,
  ``SubmitterName`` and the review columns; values are choice names.
"""

from __future__ import annotations

import csv
import io

from toolbox.scoring import kind_of
from toolbox.xlsform import choice_label

PRACTICE = {1: "no", 2: "no", 3: "partly", 4: "yes", 5: "yes", "na": "na"}
KOBO_TAIL = ["__version__", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "_tags", "_index"]
ODK_TAIL = ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
            "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]


def statements(defn):
    return [(theme, st) for theme in defn["themes"] for st in theme["statements"]]


def answers_for(defn, offset: int, skip_every: int = 0) -> dict:
    """A deterministic mix of every answer of each kind; every ``skip_every``-th statement unanswered."""
    values = [1, 2, 3, 4, 5, "na", 4, 2, 5, 3, 1]
    out = {}
    for i, (_, st) in enumerate(statements(defn)):
        if skip_every and i % skip_every == offset % skip_every:
            continue
        value = values[(i + offset) % len(values)]
        out[st["id"]] = PRACTICE[value] if kind_of(st) == "practice" else value
    return out


def _value(value, values, lang):
    return str(value) if values == "xml" else choice_label(value, lang)


def kobo(defn, submissions, headers="xml", values="xml", lang="en", group_sep="/", groups=True) -> str:
    """``submissions``: ``[(uuid, answers)]``. A KoboToolbox CSV export of them."""
    head = ["start", "end", "memore_instrument", "memore_version"]
    for theme, st in statements(defn):
        if headers == "xml":
            name = st["id"]
            head.append(theme["id"] + group_sep + name if groups else name)
        else:
            label = st["text"][lang]
            head.append(theme["title"][lang] + group_sep + label if groups else label)
    head += KOBO_TAIL
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(head)
    for n, (uuid, answers) in enumerate(submissions, start=1):
        row = ["2026-03-02T09:00:00.000+01:00", "2026-03-02T09:12:30.000+01:00", defn["id"], str(defn["version"])]
        row += ["" if st["id"] not in answers else _value(answers[st["id"]], values, lang) for _, st in statements(defn)]
        row += ["vXyZ", str(1000 + n), uuid, "2026-03-02T08:12:41", "", "", "submitted_via_web", "", "", str(n)]
        writer.writerow(row)
    return out.getvalue()


def odk(defn, submissions) -> str:
    """``submissions``: ``[(instance id, answers)]``. An ODK Central CSV export of them."""
    head = ["SubmissionDate", "start", "end", "memore_instrument", "memore_version"]
    head += [theme["id"] + "-" + st["id"] for theme, st in statements(defn)]
    head += ODK_TAIL
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(head)
    for n, (instance, answers) in enumerate(submissions, start=1):
        row = ["2026-03-04T10:00:00.123Z", "2026-03-04T10:40:00.000+01:00", "2026-03-04T10:55:00.000+01:00",
               defn["id"], str(defn["version"])]
        row += [str(answers.get(st["id"], "")) for _, st in statements(defn)]
        row += [instance, instance, str(n), "collector", "0", "0", "", "approved", "collect:abc", "0",
                str(defn["version"])]
        writer.writerow(row)
    return out.getvalue()
