"""What to fetch and what to call it: authorities and types chosen on the command line, and the
readable file names (`dudley_2018-12-10_childrens-services-inspection.pdf`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ofsted_findings.errors import UsageError
from ofsted_findings.fetch.site import ProviderLink, PublicationLink, slug
from ofsted_findings.ids import sha256_bytes
from ofsted_findings.reference.authorities import Authority, authorities, resolve


@dataclass(frozen=True)
class Provider:
    urn: int
    name: str  # as the site writes it
    authority: str  # the reference list's name when the URN or name resolves, else `name`
    slug: str  # for file names: "dudley", "bristol", "bath-and-north-east-somerset"
    url: str
    resolved: bool


@cache
def _by_urn() -> dict[int, Authority]:
    return {a.urn: a for a in authorities()}


def provider(link: ProviderLink) -> Provider:
    """A search result, named through the reference list (by URN, else by name)."""
    a = _by_urn().get(link.urn) or resolve(link.name)
    name = a.name if a else link.name
    return Provider(link.urn, link.name, name, authority_slug(name) or str(link.urn), link.url, a is not None)


def authority_slug(name: str) -> str:
    """ "Bristol, City of" -> "bristol"; "Bath and North East Somerset" -> "bath-and-north-east-somerset"."""
    return slug(name.split(",")[0])


def authority_urns(values: Iterable[str]) -> frozenset[int] | None:
    """URNs for --authority values (each a name or an Ofsted URN); None when none were given."""
    urns: set[int] = set()
    for value in (v.strip() for v in values):
        if value.isdigit():
            urns.add(int(value))
            continue
        a = resolve(value)
        if a is None:
            raise UsageError(f"--authority {value!r}: not a local authority in the reference list")
        urns.add(a.urn)
    return frozenset(urns) if urns else None


def type_codes(values: Iterable[str]) -> frozenset[str] | None:
    """Type codes for --types values ("focused-visit", "Focused visit", "a,b"); None for all."""
    codes = {slug(part) for value in values for part in value.split(",") if slug(part)}
    return frozenset(codes) if codes else None


def not_selected(pub: PublicationLink, types: frozenset[str] | None, since: dt.date | None) -> str | None:
    """Why a publication is left out by --types/--since, or None when it is wanted.
    An undated publication is kept: missing a new report costs more than one extra file."""
    if types is not None and pub.type not in types:
        return f"type {pub.type} not selected"
    if since is not None and pub.date is not None and pub.date < since:
        return f"dated {pub.date} before --since {since}"
    return None


def file_stem(p: Provider, pub: PublicationLink) -> str:
    date = pub.date.isoformat() if pub.date else "undated"
    return f"{p.slug}_{date}_{pub.type}"


def extension(pub: PublicationLink) -> str:
    return "." + (pub.fmt or "pdf").lower()


def candidate_names(stem: str, ext: str, sha256: str) -> list[str]:
    """The plain name first, then with ever longer hashes of the bytes (never overwriting)."""
    return [f"{stem}{ext}", *(f"{stem}_{sha256[:n]}{ext}" for n in (8, 16, 64))]


def write_new_file(raw_dir: Path, names: list[str], data: bytes, taken: set[str]) -> str:
    """Write `data` under the first name that is free (see `link_new_file`). Returns the name."""
    part = raw_dir / f".{names[0]}.part"
    part.write_bytes(data)
    try:
        return link_new_file(raw_dir, names, part, sha256_bytes(data), taken)
    finally:
        part.unlink(missing_ok=True)


def link_new_file(raw_dir: Path, names: list[str], part: Path, sha256: str, taken: set[str]) -> str:
    """Link the written `part` file (whose bytes have this SHA-256) under the first name that is
    free, atomically and without ever replacing a file (a hard link fails if the name exists).
    A file already there with the same bytes (say, from a run killed before it saved the
    manifest) is adopted. Returns the name; the caller removes `part`."""
    for name in names:
        if name in taken:
            continue
        try:
            os.link(part, raw_dir / name)
        except FileExistsError:
            if (raw_dir / name).is_file() and _file_sha256(raw_dir / name) == sha256:
                return name
            continue
        return name
    raise OSError(f"no free file name for {names[0]}")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
