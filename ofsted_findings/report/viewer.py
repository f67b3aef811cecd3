"""The evidence viewer: one self-contained HTML page showing a document's cleaned text with every
extraction highlighted by kind, its fields on hover/click, and a table of contents of sections.
Everything taken from a document is escaped; nothing from a document is ever executed."""

from __future__ import annotations

import html
import json
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ofsted_findings.errors import UsageError
from ofsted_findings.warehouse.layout import open_warehouse

# kind -> (table, columns shown in the panel)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "judgement": ("judgements", ("area", "grade", "judgement_of", "source", "page")),
    "recommendation": ("recommendations", ("seq", "text", "framework_ref", "themes", "page")),
    "finding": ("findings", ("section", "paragraph", "polarity", "themes", "page")),
    "metric": ("metrics", ("value", "unit", "subject", "qualifier", "period", "page")),
    "fact": ("document_facts", ("field", "value")),
}


@dataclass
class Mark:
    kind: str
    start: int
    end: int
    fields: dict[str, object]

    @property
    def css(self) -> str:
        if self.kind == "finding":
            return f"k-finding p-{self.fields.get('polarity')}"
        return f"k-{self.kind}"


def _connect(warehouse_dir: Path) -> duckdb.DuckDBPyConnection:
    return open_warehouse(warehouse_dir)


def find_document(con: duckdb.DuckDBPyConnection, key: str) -> dict:
    rows = con.execute(
        "select * from documents where document_id = ? or source_path = ? or document_id like ? || '%'",
        [key, key, key],
    ).fetchall()
    columns = [d[0] for d in con.description]
    if not rows:
        raise UsageError(f"{key}: no such document (give a document_id, its prefix, or a source_path)")
    if len(rows) > 1:
        raise UsageError(f"{key}: matches {len(rows)} documents; give more of the document_id")
    return dict(zip(columns, rows[0], strict=True))


def load(warehouse_dir: Path, key: str) -> tuple[dict, str, list[tuple], list[Mark]]:
    con = _connect(warehouse_dir)
    try:
        doc = find_document(con, key)
        text_row = con.execute(
            "select cleaned_text from document_texts where document_id = ?", [doc["document_id"]]
        ).fetchone()
        if text_row is None:
            raise UsageError(f"{key}: no cleaned text (document status {doc['status']}: {doc['error']})")
        sections = con.execute(
            "select section, heading, start, \"end\" from sections where document_id = ? order by seq",
            [doc["document_id"]],
        ).fetchall()
        marks = []
        for kind, (table, columns) in KINDS.items():
            cols = ", ".join(f'"{c}"' for c in ("start", "end", *columns))
            for row in con.execute(
                f'select {cols} from "{table}" where document_id = ? order by start', [doc["document_id"]]
            ).fetchall():
                marks.append(Mark(kind, row[0], row[1], dict(zip(columns, row[2:], strict=True))))
        return doc, text_row[0], sections, marks
    finally:
        con.close()


def _segments(text: str, marks: list[Mark]) -> list[tuple[int, int, list[int]]]:
    """Cut the text at every mark boundary; each piece lists the marks covering it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    covering: list[list[int]] = [[] for _ in cuts]
    for i, m in enumerate(marks):
        for c in range(bisect_left(cuts, m.start), bisect_left(cuts, m.end)):
            covering[c].append(i)
    return [(cuts[c], cuts[c + 1], covering[c]) for c in range(len(cuts) - 1)]


POLARITIES = ("strength", "weakness", "mixed", "neutral")


def legend_entries(marks: list[Mark]) -> list[tuple[str, str]]:
    """(css class, label) of each kind of highlight, each with its own count: findings by
    polarity, so that each colour's number is the marks of that colour."""
    counts: dict[str, int] = {}
    for m in marks:
        counts[m.css] = counts.get(m.css, 0) + 1
    kinds = [("k-judgement", "judgement"), ("k-recommendation", "recommendation")]
    kinds += [(f"k-finding p-{p}", f"{p} finding") for p in POLARITIES]
    kinds += [("k-metric", "metric"), ("k-fact", "document fact")]
    return [(css, f"{label} ({counts.get(css, 0)})") for css, label in kinds]


def render(doc: dict, text: str, sections: list[tuple], marks: list[Mark]) -> str:
    anchors = {start: f"s{n}" for n, (_, _, start, _) in enumerate(sections)}
    body: list[str] = []
    for a, b, ids in _segments(text, marks):
        if a in anchors:
            body.append(f'<a id="{anchors[a]}"></a>')
        piece = html.escape(text[a:b])
        if ids:
            classes = " ".join(sorted({marks[i].css for i in ids}))
            body.append(f'<span class="m {classes}" data-ids="{",".join(map(str, ids))}">{piece}</span>')
        else:
            body.append(piece)
    toc = "".join(
        f'<li><a href="#s{n}">{html.escape(heading or code)}</a> <small>{html.escape(code)}</small></li>'
        for n, (code, heading, _, _) in enumerate(sections)
    )
    legend = "".join(f'<span class="m {css}">{html.escape(label)}</span> ' for css, label in legend_entries(marks))
    data = json.dumps(
        [{"kind": m.kind, "start": m.start, "end": m.end, **m.fields} for m in marks], default=str
    )
    # inside <script> no "<", ">" or "&" from a document may appear raw
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    meta = " · ".join(
        html.escape(str(doc[k]))
        for k in ("document_type", "local_authority", "inspection_type", "inspection_start_date",
                  "inspection_end_date", "publisher", "source_path")
        if doc.get(k) is not None
    )
    title = html.escape(str(doc.get("title") or doc["source_path"]))
    return _PAGE.format(title=title, meta=meta, legend=legend, toc=toc, body="".join(body), data=data,
                        document_id=html.escape(doc["document_id"]))


def write_viewer(warehouse_dir: Path, key: str, out: Path | None) -> Path:
    doc, text, sections, marks = load(warehouse_dir, key)
    out = out or Path(f"{doc['document_id']}.html")
    out.write_text(render(doc, text, sections, marks), encoding="utf-8")
    return out


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.55 system-ui, sans-serif; margin: 0; display: grid;
       grid-template-columns: 16rem 1fr 22rem; height: 100vh; color: #1b1b1b; }}
nav, aside {{ overflow-y: auto; padding: 1rem; background: #f6f6f4; font-size: 13px; }}
nav ol {{ padding-left: 1.2rem; }} nav small {{ color: #777; }}
main {{ overflow-y: auto; padding: 1rem 2rem; }}
header h1 {{ font-size: 1.3rem; margin: .2rem 0; }} header p {{ color: #555; margin: 0 0 .6rem; }}
#text {{ white-space: pre-wrap; max-width: 52rem; }}
.m {{ border-radius: 2px; cursor: pointer; }}
.k-judgement {{ background: #ffe08a; outline: 1px solid #d4a200; }}
.k-recommendation {{ background: #cfe2ff; }}
.k-finding.p-strength {{ background: #d9f2dd; }} .k-finding.p-weakness {{ background: #fbd9d3; }}
.k-finding.p-mixed {{ background: #efe0f7; }} .k-finding.p-neutral {{ background: #ececec; }}
.k-metric {{ text-decoration: underline 2px #0a7c86; font-weight: 600; }}
.k-fact {{ box-shadow: inset 0 -3px #8a8a8a; }}
.legend .m {{ padding: 0 .3rem; margin-right: .2rem; display: inline-block; }}
aside dl {{ margin: 0 0 1rem; }} aside dt {{ font-weight: 600; margin-top: .4rem; }}
aside dd {{ margin: 0; }} aside h3 {{ margin: .8rem 0 .2rem; text-transform: capitalize; }}
</style></head>
<body>
<nav><h2>Sections</h2><ol>{toc}</ol></nav>
<main>
<header><h1>{title}</h1><p>{meta} · <code>{document_id}</code></p><p class="legend">{legend}</p></header>
<div id="text">{body}</div>
</main>
<aside id="panel"><h2>Extraction</h2><p>Hover over or click highlighted text to see what was extracted from it.</p></aside>
<script type="application/json" id="marks">{data}</script>
<script>
(function () {{
  var marks = JSON.parse(document.getElementById("marks").textContent);
  var panel = document.getElementById("panel");
  function show(el) {{
    panel.replaceChildren();
    var h = document.createElement("h2"); h.textContent = "Extraction"; panel.appendChild(h);
    el.dataset.ids.split(",").forEach(function (i) {{
      var m = marks[+i];
      var h3 = document.createElement("h3"); h3.textContent = m.kind; panel.appendChild(h3);
      var dl = document.createElement("dl");
      Object.keys(m).forEach(function (k) {{
        if (k === "kind") return;
        var dt = document.createElement("dt"); dt.textContent = k;
        var dd = document.createElement("dd");
        dd.textContent = Array.isArray(m[k]) ? m[k].join(", ") : (m[k] === null ? "—" : String(m[k]));
        dl.appendChild(dt); dl.appendChild(dd);
      }});
      panel.appendChild(dl);
    }});
  }}
  document.querySelectorAll("#text .m").forEach(function (el) {{
    el.addEventListener("mouseenter", function () {{ show(el); }});
    el.addEventListener("click", function () {{ show(el); }});
  }});
}})();
</script>
</body></html>
"""
