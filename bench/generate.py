"""The deterministic large school: ten years (or one, or a few weeks) of a large ROC, for the benchmarks.

    python bench/generate.py [--size 10y|1y|tiny] [--years N ...] [--force] [--verify]

What a year holds, by default (issue 16): 40 locations with 10 rooms each, 25,000 candidates sitting
exams (a third of them new every school year), 6,000 instruments, 6,000 sessions of ~20 candidates
with ~33 registrations each (~4 incidents), the commission's work on the incidents (reclassifications,
twijfelgevallen, Inspectie reports and answers, decisions with resits, closures), logins, imports,
and a few documents. Ten years come to ~60,000 sessions, ~250,000 incidents, ~2 M session events,
~550,000 audit rows and ~2 GB.

Made through the project's own code where that is fast enough, its schema otherwise:

* every session event is a typed payload (`parse_payload`), checked for its meaning by
  `event_checks.check_new_event` exactly as session mode and the exchange import check it, placed in its
  chain by `session_events.new_event` and stored by `data/sessions.insert_events`; a session is closed
  with `domain/sessions.closing_summary` of its `fold`;
* the desk's rows are written by `data/incident_desk` (each sealed into the keyed audit chain by
  `data/audit.seal`), and every step is one the domain allows at that moment: the incident's state
  is `incident_state.project` of its events and the desk facts so far, and `available_actions` /
  `close_blocker` / `report_subject` say what may follow; decisions pass `check_decision`;
* the audit entries are appended by `data/audit.append_on` in time order; the incident index by
  `data/incident_index.catch_up`; documents by `DocumentService.issue` (a few per year);
* the register, locations, rooms, candidates, sessions, rosters and invigilators are bulk inserts in the
  schema's columns (the services plan one session per call, with checks that cost seconds per year).

Bulk writes run inside one transaction per school year. Randomness comes from one seeded generator
and ids from it, so the same options give the same rows; what the project makes from the OS's
randomness differs from run to run: the database's keys (and so every audit hash), password salts,
decision ids.

Generated files are cached in ``$EXAMDESK_BENCH_CACHE`` (default ``~/.cache/examdesk-bench/``), one
folder per generator version and options, holding the database and its key file. `ensure(size)` gives
the cached entry (generating it when missing); `install(entry, home, target)` copies the database to
`target` and its keys into the ExamDesk home `home`, so a benchmark works on a copy it may change.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GENERATOR_VERSION = 3   # 2: decisions say whether they take a measure (issue 12), keyed session chains;
                        # 3: the stored validity verdicts filled (a school's file has them since v020)
DEFAULT_UNTIL = date(2026, 11, 27)  # fixed, so the cache stays valid; the history ends on this Friday
PASSWORD = "bench-wachtwoord-2026"  # every generated account (policy: 10+ characters, not a common one)


@dataclass(frozen=True)
class Size:
    """The shape of the generated school. `years` of history end on `until`; counts are per school year."""

    years: float = 10
    locations: int = 40
    rooms_per_location: int = 10
    candidates: int = 25_000        # sitting exams in a school year; a third of them new each year
    instruments: int = 6_000
    sessions: int = 6_000           # per school year
    incidents: float = 4.13         # per session, on average
    invigilators_per_location: int = 5
    documents: int = 30             # per school year, issued through DocumentService
    until: str = DEFAULT_UNTIL.isoformat()
    seed: int = 2026

    @property
    def key(self) -> str:
        """The cache key: generator version, the main figures and a hash of every option."""
        digest = hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:10]
        return f"v{GENERATOR_VERSION}-{self.years:g}y-{self.sessions}s-{digest}"


PRESETS: dict[str, Size] = {
    "10y": Size(),
    "1y": Size(years=1),
    "tiny": Size(years=0.25, locations=2, rooms_per_location=3, candidates=120, instruments=40, sessions=160,
                 invigilators_per_location=2, documents=4),
}


# --- the cache ---------------------------------------------------------------------------------------

def cache_root() -> Path:
    return Path(os.environ.get("EXAMDESK_BENCH_CACHE") or Path.home() / ".cache" / "examdesk-bench")


@dataclass(frozen=True)
class Entry:
    """One generated database in the cache: the file, its key file and what the generator reported."""

    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / "examdesk.sqlite"

    @property
    def info(self) -> dict[str, Any]:
        return json.loads((self.folder / "info.json").read_text(encoding="utf-8"))

    @property
    def key_files(self) -> list[Path]:
        """The database's key file ('<id>.json'; not a witness a run of this PC may have left)."""
        return sorted(p for p in (self.folder / "keys").glob("*.json") if p.name.count(".") == 1)


def ensure(size: Size, force: bool = False, log: Callable[[str], None] = print) -> Entry:
    """The cached database of this size, generated first when it is not there (or `force`)."""
    entry = Entry(cache_root() / size.key)
    if (entry.folder / "info.json").exists() and not force:
        made_with = entry.info.get("migrations")
        if made_with is not None and made_with == _migrations()[:len(made_with)]:
            return entry       # made by these migrations (or earlier ones of them): it upgrades as a school's does
        log(f"{size.key}: in de cache gemaakt met andere migraties (een andere tak); opnieuw genereren")
    cache_root().mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{size.key}.", dir=cache_root()))
    try:
        home = work / "home"
        stats = _generate_in(work / "examdesk.sqlite", home, size, log)
        keys = work / "keys"
        keys.mkdir()
        for key_file in (home / "config" / "keys").glob("*.json"):
            if key_file.name.count(".") == 1:   # the keys ('<id>.json'), not this PC's witness of the file
                shutil.copy2(key_file, keys / key_file.name)
        shutil.rmtree(home)
        (work / "info.json").write_text(json.dumps({"size": asdict(size), "key": size.key,
                                                    "migrations": _migrations(), **stats}, indent=1),
                                        encoding="utf-8")
        if entry.folder.exists():
            shutil.rmtree(entry.folder)
        os.replace(work, entry.folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return entry


def _migrations() -> list[str]:
    """The schema steps this checkout has, by module name: a cached file made on another branch, whose step
    N is another change, must not be upgraded as if it were this branch's."""
    from examdesk.data.migrations import STEPS

    return [step.__module__.rsplit(".", 1)[-1] for step in STEPS]


def install(entry: Entry, home: Path, target: Path) -> Path:
    """A working copy of the cached database at `target`, with its keys in the ExamDesk home `home`
    (``home/config/keys``, readable only by this user, as the keystore keeps them)."""
    keys = Path(home) / "config" / "keys"
    keys.mkdir(parents=True, exist_ok=True, mode=0o700)
    for key_file in entry.key_files:
        shutil.copyfile(key_file, keys / key_file.name)
        os.chmod(keys / key_file.name, 0o600)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(entry.database, target)
    return target


@contextlib.contextmanager
def examdesk_home(home: Path) -> Iterator[None]:
    """ExamDesk's folders (keys, witnesses, backups) inside `home` while the block runs, keys in a file."""
    saved = {k: os.environ.get(k) for k in ("EXAMDESK_HOME", "EXAMDESK_KEYS")}
    os.environ["EXAMDESK_HOME"] = str(home)
    os.environ["EXAMDESK_KEYS"] = "bestand"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _generate_in(path: Path, home: Path, size: Size, log: Callable[[str], None]) -> dict[str, Any]:
    with examdesk_home(home):
        began = time.perf_counter()
        stats = School(path, size, log).build()
        stats["seconds"] = round(time.perf_counter() - began, 1)
        stats["megabytes"] = round(path.stat().st_size / 1e6, 1)
    return stats


# --- texts ---------------------------------------------------------------------------------------------

FIRST = ["Anouk", "Loïs", "Noël", "Elif", "Łukasz", "Thi Mai", "Daan", "Sanne", "Mohammed", "Fleur", "Bram",
         "Yasmina", "Jesse", "Lotte", "Kerem", "Iris", "Sven", "Amira", "Ruben", "Zoë", "Milan", "Chloë", "Ahmet",
         "Eva", "Luuk", "Priya", "Thijs", "Nina", "Mateusz", "Julia", "Stijn", "Hanna", "Gijs", "Maud", "Dragan",
         "Roos", "Jayden", "Femke", "Oğuz", "Lieke", "Tim", "Sara", "Koen", "Esmée", "Rania", "Wouter", "Mila",
         "Ferhat", "Bo", "Dewi", "Siem", "Aïcha", "Jonas", "Vera", "Tomás", "Ilse", "Hamza", "Marit", "Bilal",
         "Quinty", "Ayşe", "Gülşen", "Björn", "Renée", "Mehmet"]
LAST = [("", "Jansen"), ("van den", "Berg"), ("", "Daoudi"), ("", "Şahin"), ("", "Wójcik"), ("", "Nguyễn"),
        ("de", "Vries"), ("", "Bakker"), ("", "El Idrissi"), ("van", "Dijk"), ("", "Visser"), ("", "Boukhari"),
        ("", "Smit"), ("", "Meijer"), ("", "Yılmaz"), ("", "Mulder"), ("de", "Boer"), ("", "Haddou"), ("", "Bos"),
        ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("", "Doğan"), ("van", "Leeuwen"), ("", "Dekker"),
        ("", "Ramdin"), ("", "Brouwer"), ("de", "Wit"), ("", "Kowalski"), ("", "Dijkstra"), ("", "Smits"),
        ("", "Tesfaye"), ("de", "Graaf"), ("van der", "Meer"), ("", "Jovanović"), ("", "Kok"), ("", "Martina"),
        ("", "Jacobs"), ("", "Çelik"), ("van", "Beek"), ("", "Verbeek"), ("", "Amrani"), ("van", "Wijk"),
        ("", "Koster"), ("", "Al-Masri"), ("", "Prins"), ("", "Huisman"), ("", "Aydın"), ("", "Kuipers"),
        ("", "Sardjoe"), ("van", "Vliet"), ("", "Benali"), ("", "Schouten"), ("", "Postma"), ("", "Ferreira"),
        ("", "Kramer"), ("", "Ouali"), ("van", "Rijn"), ("", "Chaouch"), ("", "Groen"), ("", "Öztürk"),
        ("", "Kaya"), ("", "Ëlsen"), ("", "Ağaoğlu")]
PLACES = ["Gouda", "Alphen aan den Rijn", "Leiden", "Zoetermeer", "Woerden", "Bodegraven", "Waddinxveen",
          "Schoonhoven", "Nieuwerkerk", "Boskoop", "Reeuwijk", "Krimpen", "Capelle", "Delft", "Den Haag"]
STREETS = ["Bodegraafsestraatweg", "Zilverstraat", "Stationsplein", "Kerkweg", "Industrieweg", "Burgemeester "
           "Jamessingel", "Zuidelijke Rondweg", "Middelweg", "Noordkade", "Sportlaan"]
SUBJECTS = ["Nederlands", "Engels", "Rekenen", "Verzorging", "Techniek", "Logistiek", "ICT", "Horeca",
            "Economie", "Zorg en Welzijn", "Installatietechniek", "Bouw", "Handel", "Veiligheid", "Mode"]
WORKS = ["Proeve van bekwaamheid", "Praktijkexamen", "Kennistoets", "Portfolio-assessment", "Criteriumgericht "
         "interview", "Schriftelijke toets", "Vakexamen"]
HAPPENED: dict[str, list[str]] = {
    "ONWEL": ["Kandidaat werd misselijk en verliet het lokaal; kon niet verder.", "Kandidaat viel flauw bij het "
              "binnenkomen van de pauze.", "Paniekaanval; de kandidaat kon niet verder met het examen."],
    "WERKPLEK_VAST": ["Pc van de kandidaat bevroor en herstartte niet.", "Examen laadde niet opnieuw na een "
                      "herstart van de werkplek.", "Scherm zwart; werkplek reageerde niet meer."],
    "PLATFORM_STORING": ["Facet gaf bij alle kandidaten 'verbinding verbroken'.", "Netwerk in het lokaal viel "
                         "uit; alle werkplekken zonder verbinding."],
    "STROOMSTORING": ["Stroom viel uit in de vleugel; alle pc's uit.", "Kortsluiting: groep van het lokaal "
                      "uitgeschakeld."],
    "ONTRUIMING": ["Brandalarm ging af; het gebouw werd ontruimd.", "Ontruimingsoefening tijdens het examen "
                   "(niet aangekondigd)."],
    "GELUIDSOVERLAST": ["Boormachine in het lokaal ernaast.", "Harde muziek op het schoolplein.", "Geluid van de "
                        "gang tijdens de pauze van andere klassen."],
    "TE_LAAT": ["Kandidaat kwam na de start binnen; trein had vertraging.", "Kandidaat te laat door een lekke band."],
    "AFWEZIG_ZONDER": ["Kandidaat niet verschenen en niet afgemeld.", "Kandidaat kwam niet opdagen."],
    "AFWEZIG_MET": ["Kandidaat ziek gemeld door ouder.", "Kandidaat afgemeld wegens begrafenis."],
    "FRAUDE_KANDIDAAT": ["Telefoon met het scherm aan onder de tafel gezien.", "Spiekbriefje in de etui gevonden.",
                         "Kandidaat keek herhaaldelijk op het scherm van de buurman.", "Smartwatch met berichten "
                         "aan de pols."],
    "HULPMIDDEL_PERSONEEL": ["Docent gaf een kandidaat uitleg bij een opgave."],
    "GEHEIMHOUDING": ["Foto van de opgaven op sociale media gezien."],
    "TOEZICHT": ["Lokaal tien minuten zonder surveillant."],
    "TE_VEEL_TIJD": ["Kandidaat kreeg twintig minuten meer dan toegestaan."],
    "OVERIG": ["Opgave 12 was onleesbaar afgedrukt.", "Verkeerde variant klaargezet; na vijf minuten gewisseld."],
}
DONE: dict[str, list[str]] = {
    "ONWEL": ["Opgevangen door de BHV'er; examencommissie gebeld."],
    "WERKPLEK_VAST": ["Herstart geprobeerd; kandidaat naar een reserve-pc."],
    "FRAUDE_KANDIDAAT": ["Telefoon ingenomen; kandidaat mocht het examen afmaken.", "Briefje ingenomen en bewaard."],
    "GELUIDSOVERLAST": ["Conciërge gevraagd de werkzaamheden te stoppen."],
    "PLATFORM_STORING": ["Examen gepauzeerd, servicedesk gebeld; daarna hervat."],
}
REMARKS = ["Kandidaten op pc 07 en 08 klaagden over kou bij het raam.", "Raam open gezet: het is warm in het lokaal.",
           "Kladpapier uitgedeeld op verzoek.", "Reservesurveillant kwam om 10:15 even aflossen.",
           "Koptelefoons nagekeken vóór de start."]
WEIGHTS = {"TE_LAAT": 20, "WERKPLEK_VAST": 14, "GELUIDSOVERLAST": 12, "AFWEZIG_ZONDER": 11, "AFWEZIG_MET": 8,
           "FRAUDE_KANDIDAAT": 9, "ONWEL": 6, "PLATFORM_STORING": 6, "STROOMSTORING": 2, "ONTRUIMING": 1,
           "OVERIG": 4, "TOEZICHT": 1.5, "HULPMIDDEL_PERSONEEL": 1, "TE_VEEL_TIJD": 1.5, "GEHEIMHOUDING": 0.5,
           "NIET_GESTART": 0.5, "WERK_GEWIJZIGD": 0.3, "CIJFER_ONJUIST": 0.3, "GROOTSCHALIGE_FRAUDE": 0.2}
ACTED_ON = {"FRAUDE_KANDIDAAT": 0.8, "ONWEL": 0.8, "PLATFORM_STORING": 0.8, "STROOMSTORING": 0.8,
            "ONTRUIMING": 0.8, "WERKPLEK_VAST": 0.25, "TE_LAAT": 0.05, "GELUIDSOVERLAST": 0.05,
            "AFWEZIG_ZONDER": 0.05, "AFWEZIG_MET": 0.05}
COLLECTIVE = {"PLATFORM_STORING", "STROOMSTORING", "ONTRUIMING", "GELUIDSOVERLAST", "NIET_GESTART",
              "GROOTSCHALIGE_FRAUDE", "GEHEIMHOUDING"}
CENTRAL = ["Ned2F", "Ned3F", "Rek2F", "Rek3F"]
CENTRAL_TITLES = {"Ned2F": "Nederlands 2F", "Ned3F": "Nederlands 3F", "Rek2F": "Rekenen 2F", "Rek3F": "Rekenen 3F"}


# --- the generator ------------------------------------------------------------------------------------

@dataclass
class Person:
    id: int
    student_number: str
    first: str
    prefix: str
    last: str
    birth: date
    extra: int

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first, self.prefix, self.last) if p)

    @property
    def sort_name(self) -> str:
        return f"{self.last}, {self.first}" + (f" {self.prefix}" if self.prefix else "")


@dataclass
class Staff:
    id: int
    username: str
    full_name: str


@dataclass
class AuditStep:
    """Something that happens at `at` and writes audit entries (and perhaps desk rows) then."""

    at: datetime
    order: int
    run: Callable[[], None]


@dataclass
class Stats:
    sessions: int = 0
    events: int = 0
    incidents: int = 0
    candidates: int = 0
    decisions: int = 0
    documents: int = 0
    timings: dict[str, float] = field(default_factory=dict)


class School:
    def __init__(self, path: Path, size: Size, log: Callable[[str], None]):
        self.path = path
        self.size = size
        self.log = log
        self.rnd = random.Random(size.seed)
        self.until = date.fromisoformat(size.until)
        self.first_day = self.until - timedelta(days=round(size.years * 365.25))
        self.stats = Stats()
        self.steps: list[AuditStep] = []
        self._order = 0
        self.report_ids: dict[str, int] = {}
        self._reports = 0

    # helpers
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rnd.getrandbits(128), version=4))

    def moment(self, day: date, minutes: float) -> datetime:
        from examdesk.domain.clock import AMSTERDAM

        return datetime.combine(day, dtime(0, 0), tzinfo=AMSTERDAM) + timedelta(minutes=minutes)

    def step(self, at: datetime, run: Callable[[], None]) -> None:
        self._order += 1
        self.steps.append(AuditStep(at, self._order, run))

    def audit(self, at: datetime, who: Staff | None, action: str, entity: str, entity_id: str | int,
              summary: dict[str, Any]) -> None:
        def run() -> None:
            from examdesk.data.audit import append_on
            from examdesk.domain.clock import to_iso

            append_on(self.store.conn, self.key, who.id if who else None, who.username if who else "systeem",
                      action, entity, entity_id, summary, to_iso(at))
        self.step(at, run)

    def flush_steps(self) -> None:
        """Runs the collected steps in time order (inside the caller's transaction)."""
        for s in sorted(self.steps, key=lambda s: (s.at, s.order)):
            s.run()
        self.steps = []

    def timed(self, label: str, began: float) -> None:
        self.stats.timings[label] = round(self.stats.timings.get(label, 0) + time.perf_counter() - began, 2)

    # the whole build
    def build(self) -> dict[str, Any]:
        from examdesk.data.db import open_store

        if self.path.exists():
            self.path.unlink()
        self.store = open_store(self.path)
        self.store.conn.execute("PRAGMA synchronous = OFF")      # a throwaway file being built: no fsync per batch
        self.store.conn.execute("PRAGMA cache_size = -400000")   # 400 MB of page cache for the index inserts
        try:
            began = time.perf_counter()
            self.setup()
            self._key()
            self.register()
            self.places()
            self.timed("inrichting", began)
            for year_start, year_end in self.school_years():
                self.year(year_start, year_end)
            self.retention()
            self.validity()
            self.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            counts = {t: self.store.query_one(f"SELECT count(*) FROM {t}")[0] for t in (
                "sessions", "session_events", "incident_index", "audit_log", "candidates", "decisions",
                "documents", "session_candidates")}
        finally:
            self.store.close()
        return {"counts": counts, "timings": self.stats.timings, "until": self.until.isoformat(),
                "first_day": self.first_day.isoformat(), "password": PASSWORD}

    def school_years(self) -> list[tuple[date, date]]:
        from examdesk.domain.register import school_year_bounds, school_year_of

        spans = []
        year = school_year_of(self.first_day)
        while True:
            start, end = school_year_bounds(year)
            spans.append((max(start, self.first_day), min(end, self.until)))
            if end >= self.until:
                return spans
            year = f"{int(year[:4]) + 1}-{int(year[:4]) + 2}"

    # --- setup: the institution, the accounts --------------------------------------------------------
    def setup(self) -> None:
        from examdesk.data import users as user_data
        from examdesk.domain.institution import Institution
        from examdesk.domain.roles import Role
        from examdesk.domain.users import hash_password
        from examdesk.services.auth import AuthService

        start = self.moment(self.first_day - timedelta(days=14), 9 * 60)
        auth = AuthService(self.store, clock=lambda: start)
        inst = Institution("ROC Groot-Holland", "31QX", "Centrale examencommissie ROC Groot-Holland", "Leiden")
        admin = auth.setup(inst, "beheerder", "Ruud Kok", PASSWORD)
        self.admin = Staff(admin.id, admin.username, admin.full_name)
        from examdesk.data.audit import passwords_summary

        hashed = hash_password(PASSWORD)   # one argon2 hash for every account: they share the password
        at = start + timedelta(minutes=5)
        self.commission: list[Staff] = []
        self.bureau: list[Staff] = []
        self.invigilators: dict[int, list[Staff]] = {}
        people = [("commissie", "Marieke de Vries", Role.COMMISSIE)]
        people += [(f"commissie{n}", f"{self.rnd.choice(FIRST)} {self.last_name()}", Role.COMMISSIE)
                   for n in range(2, 8)]
        people += [("bureau", "Kees Jansen", Role.BUREAU)]
        people += [(f"bureau{n}", f"{self.rnd.choice(FIRST)} {self.last_name()}", Role.BUREAU)
                   for n in range(2, 7)]
        with self.store.transaction() as conn:
            for username, name, role in people:
                user_id = user_data.insert(self.store, username, name, hashed, frozenset({role}), at.isoformat())
                staff = Staff(user_id, username, name)
                (self.commission if role is Role.COMMISSIE else self.bureau).append(staff)
                self._append(conn, at, self.admin, "gebruiker toegevoegd", "gebruiker", user_id,
                             {"gebruikersnaam": username, "naam": name, "rollen": [role.value],
                              **passwords_summary(self.store, {user_id: hashed})})

    def last_name(self) -> str:
        prefix, last = self.rnd.choice(LAST)
        return f"{prefix} {last}".strip()

    def _append(self, conn: sqlite3.Connection, at: datetime, who: Staff | None, action: str, entity: str,
                entity_id: str | int, summary: dict[str, Any]) -> None:
        from examdesk.data.audit import append_on
        from examdesk.domain.clock import to_iso

        append_on(conn, self.key if hasattr(self, "key") else self._key(), who.id if who else None,
                  who.username if who else "systeem", action, entity, entity_id, summary, to_iso(at))

    def _key(self) -> bytes | None:
        from examdesk.data import audit as audit_data
        from examdesk.data import sessions as session_data

        self.key = audit_data.chain_key(self.store)
        self.session_key = session_data.chain_key(self.store)   # session chains are keyed too (v011)
        return self.key

    # --- the register ---------------------------------------------------------------------------------
    def register(self) -> None:
        from examdesk.domain.clock import to_iso

        size = self.size
        at = self.moment(self.first_day - timedelta(days=10), 10 * 60)
        now = to_iso(at)
        qualifications = max(10, size.instruments // 5)
        self.crebos = [f"{25000 + i:05d}" for i in range(qualifications)]
        suppliers = [{"id": self.uid(), "name": f"Examenleverancier {i + 1}", "authority": "CvTE-erkend",
                      "certificate_number": f"CERT-{2016 + i}-{i:03d}", "certified_from": "2015-01-01",
                      "certified_until": "2031-12-31", "updated_at": now} for i in range(20)]
        instruments, statuses, audit_rows = [], [], []
        self.instruments: list[tuple[str, str]] = []
        for i in range(size.instruments):
            route = 1 if i % 10 < 6 else 2 if i % 10 < 9 else 3
            iid = self.uid()
            title = f"{self.rnd.choice(WORKS)} {self.rnd.choice(SUBJECTS)} {i % 7 + 1}"
            instruments.append({
                "id": iid, "code": f"INS-{i:05d}", "title": title, "crebo": self.crebos[i % qualifications],
                "part": "", "kind": "proeve", "formative": 0, "route": route,
                "supplier_id": suppliers[i % 20]["id"] if route == 1 else None,
                "validator": "Validatie-instituut" if route == 3 else "",
                "validation_date": "2015-06-01" if route == 3 else None, "version": "1", "created_at": now,
                "updated_at": now})
            statuses.append({"instrument_id": iid, "status": "vastgesteld", "effective_on": "2015-08-01",
                             "decision_number": f"EC-2015-{i:04d}", "reason": "", "recorded_at": now,
                             "recorded_by": "commissie"})
            self.instruments.append((iid, title))
            audit_rows.append((iid, title))
        db = self.store.db
        with self.store.transaction() as conn:
            db["qualifications"].insert_all([{
                "crebo": c, "name": f"Medewerker {self.rnd.choice(SUBJECTS).lower()} {n % 4 + 1}",
                "niveau": 1 + n % 4, "dossier": "", "dossier_crebo": "", "domain": "", "kind": "kwalificatie",
                "valid_from": None, "valid_until": None, "updated_at": now} for n, c in enumerate(self.crebos)])
            db["suppliers"].insert_all(suppliers)
            db["instruments"].insert_all(instruments)
            db["instrument_status"].insert_all(statuses)
            self._append(conn, at, self.bureau[0], "kwalificaties geïmporteerd", "kwalificaties", "crebo-lijst",
                         {"toegevoegd": qualifications})
            for iid, title in audit_rows:
                self._append(conn, at, self.bureau[0], "instrument geregistreerd (import)", "instrument", iid,
                             {"titel": title})
                self._append(conn, at, self.commission[0], "instrument vastgesteld (import)", "instrument", iid,
                             {"besluit": "vastgesteld"})

    # --- locations, rooms, invigilators -------------------------------------------------------------------
    def places(self) -> None:
        from examdesk.data import users as user_data
        from examdesk.domain.roles import Role
        from examdesk.domain.users import hash_password

        size = self.size
        at = self.moment(self.first_day - timedelta(days=9), 11 * 60)
        from examdesk.data.audit import passwords_summary

        hashed = hash_password(PASSWORD)
        self.rooms: list[tuple[int, int, str, str, int]] = []   # room id, location id, room, location, stations
        with self.store.transaction() as conn:
            for n in range(size.locations):
                place = PLACES[n % len(PLACES)]
                name = f"{place}, {STREETS[n % len(STREETS)]}" + (f" {n // 10 + 1}" if n >= 10 else "")
                location_id = conn.execute("INSERT INTO locations (name, address) VALUES (?, ?)",
                                           (name, f"{STREETS[n % len(STREETS)]} {n + 1}, {place}")).lastrowid
                self._append(conn, at, self.bureau[0], "locatie opgeslagen", "locatie", location_id,
                             {"naam": name, "adres": place})
                for r in range(size.rooms_per_location):
                    room = f"{'ABCD'[r % 4]}{r // 4}.{10 + r:02d}"
                    stations = self.rnd.choice((16, 20, 24, 28, 32, 40))
                    room_id = conn.execute("INSERT INTO rooms (location_id, name, workstations) VALUES (?, ?, ?)",
                                           (location_id, room, stations)).lastrowid
                    self.rooms.append((room_id, location_id, room, name, stations))
                    self._append(conn, at, self.bureau[0], "lokaal opgeslagen", "lokaal", room_id,
                                 {"naam": room, "werkplekken": stations})
                staff = []
                for k in range(size.invigilators_per_location):
                    username = f"surv{n + 1:02d}{k + 1}"
                    full = f"{self.rnd.choice(FIRST)} {self.last_name()}"
                    user_id = user_data.insert(self.store, username, full, hashed, frozenset({Role.SURVEILLANT}),
                                               at.isoformat())
                    staff.append(Staff(user_id, username, full))
                    self._append(conn, at, self.admin, "gebruiker toegevoegd", "gebruiker", user_id,
                                 {"gebruikersnaam": username, "naam": full, "rollen": ["surveillant"],
                                  **passwords_summary(self.store, {user_id: hashed})})
                self.invigilators[location_id] = staff
        self.people: list[Person] = []
        self.next_candidate = 1

    # --- one school year -------------------------------------------------------------------------------------
    def year(self, start: date, end: date) -> None:
        from examdesk.data import incident_index

        fraction = max(0.02, ((end - start).days + 1) / 365.25)
        self.log(f"  schooljaar {start.isoformat()} – {end.isoformat()}")
        began = time.perf_counter()
        with self.store.transaction() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")   # desk rows precede their index rows until catch_up
            self.candidates(start)
            self.timed("kandidaten", began)
            t = time.perf_counter()
            self.sessions(start, end, round(self.size.sessions * fraction))
            self.timed("afnames en gebeurtenissen", t)
            t = time.perf_counter()
            self.logins(start, end)
            self.flush_steps()
            self.timed("audit en balie", t)
            t = time.perf_counter()
            incident_index.catch_up(self.store)
            self.timed("incidentindex (catch_up)", t)
        t = time.perf_counter()
        self.documents(start, end, max(1, round(self.size.documents * fraction)))
        self.timed("documenten", t)
        self.log(f"    {self.stats.sessions} afnames, {self.stats.events} gebeurtenissen, "
                 f"{self.stats.incidents} incidenten tot nu toe ({time.perf_counter() - began:.0f} s)")

    def retention(self) -> None:
        """The retention check's stored facts (`data/retention`) of the rows bulk-inserted above, which bypass the
        code that keeps them: filled from the history once, as migration v019 does for a school's file."""
        from examdesk.data import retention

        began = time.perf_counter()
        with self.store.transaction() as conn:
            retention.rebuild(conn)
        self.timed("bewaarfeiten (retention)", began)

    def validity(self) -> None:
        """Every instrument's stored validity verdict (`data/validity`), which the register's bulk inserts above left
        out (its triggers drop a row when an input is written): filled as migration v020 does for a school's
        file. Without them, every start worked out 6,000 verdicts for the register card (0.7 s on ten years)."""
        from examdesk.data import validity

        began = time.perf_counter()
        with self.store.transaction():
            validity.rebuild(self.store, self.until)
        self.timed("geldigheid (validity)", began)

    def candidates(self, start: date) -> None:
        from examdesk.domain.clock import to_iso

        target = self.size.candidates
        new = target if not self.people else max(1, target // 3)
        at = self.moment(start + timedelta(days=20), 10 * 60)
        now = to_iso(at)
        rows = []
        added = []
        for _ in range(new):
            n = self.next_candidate
            self.next_candidate += 1
            prefix, last = self.rnd.choice(LAST)
            first = self.rnd.choice(FIRST)
            birth = start - timedelta(days=365 * 16 + self.rnd.randrange(365 * 6))
            extra = 30 if self.rnd.random() < 0.08 else 0
            person = Person(n, f"{3_000_000 + n}", first, prefix, last, birth, extra)
            added.append(person)
            rows.append((n, person.student_number, last, prefix, first, birth.isoformat(),
                         self.rnd.choice(self.crebos), str(start.year), "regulier", extra,
                         "Dyslexie (verklaring in dossier)" if extra else "", "[]", "", now, now))
        self.store.conn.executemany(
            "INSERT INTO candidates (id, student_number, last_name, prefix, first_name, birth_date, crebo, cohort,"
            " target_group, extra_minutes, extra_reason, facilities, facility_other, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.people = (self.people + added)[-target:]
        self.stats.candidates += new
        bureau = self.bureau[0]
        self.audit(at, bureau, "kandidaten geïmporteerd", "kandidaten", "Eduarte",
                   {"toegevoegd": new, "gewijzigd": 0, "bron": "Eduarte"})
        for line, p in enumerate(added, start=2):
            self.audit(at, bureau, "kandidaat toegevoegd (import)", "kandidaat", p.student_number,
                       {"naam": p.name, "regel": line, "bron": "Eduarte"})

    def exam_days(self, start: date, end: date) -> list[date]:
        days = []
        day = start
        while day <= end:
            holiday = (day.month == 12 and day.day > 20) or (day.month == 1 and day.day < 4) or day.month == 8 \
                or (day.month == 7 and day.day > 12)
            if day.weekday() < 5 and not holiday:
                days.append(day)
            day += timedelta(days=1)
        return days or [start]

    def logins(self, start: date, end: date) -> None:
        """The desk's people log in on working days; now and then a password is typed wrong."""
        for day in self.exam_days(start, end):
            for who in self.rnd.sample(self.commission + self.bureau, k=min(len(self.commission + self.bureau), 10)):
                at = self.moment(day, self.rnd.randrange(8 * 60, 16 * 60))
                if self.rnd.random() < 0.03:
                    self.audit(at - timedelta(seconds=20), who, "inloggen mislukt", "gebruiker", who.id,
                               {"pogingen": 1})
                self.audit(at, who, "ingelogd", "gebruiker", who.id, {})

    # --- sessions and their record ------------------------------------------------------------------------
    def sessions(self, start: date, end: date, count: int) -> None:
        from examdesk.data import sessions as session_data
        from examdesk.domain.clock import to_iso
        from examdesk.domain.register import school_year_of

        days = self.exam_days(start, end)
        planned_ahead = self.until + timedelta(days=21)
        rows, invigilator_rows, roster_rows, events = [], [], [], []
        plans = sorted((self.rnd.choice(days), self.rnd.randrange(17, 31) * 30) for _ in range(count))
        if end >= self.until:   # the last year also has sessions planned in the three weeks to come
            future = self.exam_days(self.until + timedelta(days=1), planned_ahead)
            plans += sorted((self.rnd.choice(future), self.rnd.randrange(17, 31) * 30)
                            for _ in range(round(count / len(days) * len(future))))
        for day, start_minutes in plans:
            room_id, location_id, room, location, stations = self.rnd.choice(self.rooms)
            central = self.rnd.random() < 0.3
            exam = self.rnd.choice(CENTRAL) if central else None
            instrument = None if central else self.rnd.choice(self.instruments)
            sid = self.uid()
            starts = self.moment(day, start_minutes)
            duration = self.rnd.choice((60, 90, 120, 180)) if central else self.rnd.choice((45, 60, 90, 120, 150))
            n = min(stations, max(4, int(self.rnd.gauss(22, 6))))
            roster = self.rnd.sample(self.people, k=min(n, len(self.people)))
            staff = self.rnd.sample(self.invigilators[location_id], k=1 if self.rnd.random() < 0.7 else 2)
            title = CENTRAL_TITLES[exam] if central else instrument[1]
            variant = self.rnd.choice("ABC") if central else ""
            period = f"{school_year_of(day)} periode {1 + ((day.month - 8) % 12) // 3}" if central else ""
            past = day < self.until
            status = "afgesloten" if past else "gepland"
            cancelled = self.rnd.random() < 0.01
            if cancelled:
                status = "geannuleerd"
            created = starts - timedelta(days=self.rnd.randrange(14, 60))
            created = max(created, self.moment(start, 9 * 60))
            rows.append((sid, "centraal" if central else "instelling", instrument[0] if instrument else None, exam,
                         title, day.isoformat(), starts.isoformat(timespec="seconds"), duration, room_id, variant,
                         period, 30 if central else 15, status, to_iso(created), self.bureau[0].username))
            invigilator_rows += [(sid, s.id) for s in staff]
            roster_rows += [(sid, p.id, w + 1, p.extra, "[]") for w, p in enumerate(roster)]
            bureau = self.rnd.choice(self.bureau)
            self.audit(created, bureau, "afname gepland", "afname", sid, {
                "titel": title, "datum": day.isoformat(), "start": f"{start_minutes // 60:02d}:{start_minutes % 60:02d}",
                "duur": duration, "lokaal": f"lokaal {room} ({location})", "kandidaten": len(roster)})
            if cancelled:
                self.audit(created + timedelta(days=3), bureau, "afname geannuleerd", "afname", sid,
                           {"titel": title, "reden": "Dubbel ingepland"})
            self.stats.sessions += 1
            if past and not cancelled:
                events += self.record(sid, day, starts, duration, central, title, variant, period, room_id,
                                      f"lokaal {room} ({location})", roster, staff, exam, instrument)
            if len(events) > 50_000:
                self._store_sessions(rows, invigilator_rows, roster_rows)
                rows, invigilator_rows, roster_rows = [], [], []
                session_data.insert_events(self.store, events)
                events = []
        self._store_sessions(rows, invigilator_rows, roster_rows)
        session_data.insert_events(self.store, events)

    def _store_sessions(self, rows: list[tuple], invigilators: list[tuple], roster: list[tuple]) -> None:
        conn = self.store.conn
        conn.executemany(
            "INSERT INTO sessions (id, exam_kind, instrument_id, central_exam, title, session_date, starts_at,"
            " duration_minutes, room_id, variant, period, late_limit_minutes, status, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO session_invigilators (session_id, user_id) VALUES (?, ?)", invigilators)
        conn.executemany("INSERT INTO session_candidates (session_id, candidate_id, workstation, extra_minutes,"
                         " facilities) VALUES (?, ?, ?, ?, ?)", roster)

    def record(self, sid: str, day: date, starts: datetime, duration: int, central: bool, title: str, variant: str,
               period: str, room_id: int, room_label: str, roster: list[Person], staff: list[Staff],
               exam: str | None, instrument: tuple[str, str] | None) -> list[Any]:
        """One session's record as session mode would have written it, each event checked for its meaning."""
        from examdesk.domain.catalogue import default_catalogue
        from examdesk.domain.clock import to_iso
        from examdesk.domain.event_checks import ChainFacts, SessionFrame, check_new_event
        from examdesk.domain.incident_state import incident_chains
        from examdesk.domain.session_events import new_event, parse_payload
        from examdesk.domain.session_state import SessionStatus, late_arrival
        from examdesk.domain.sessions import RosterEntry, SessionPlan, closing_summary, fold

        rnd = self.rnd
        catalogue = default_catalogue()
        runner = staff[0]
        late_limit = 30 if central else 15
        plan = SessionPlan(sid, "centraal" if central else "instelling", title, day, starts, duration, room_id,
                           room_label, late_limit, SessionStatus.BEZIG, variant, period,
                           instrument[0] if instrument else None, exam, tuple((s.id, s.full_name) for s in staff),
                           len(roster))
        entries = [RosterEntry(p.id, w + 1, p.student_number, p.name, p.sort_name, p.extra)
                   for w, p in enumerate(roster)]
        frame = SessionFrame(sid, day, starts, late_limit, frozenset(p.id for p in roster),
                             frozenset(s.username for s in staff))
        facts = ChainFacts()
        events: list[Any] = []

        def add(kind: str, data: dict[str, Any], at: datetime, corrects: str | None = None) -> Any:
            payload = parse_payload(kind, data)
            check_new_event(frame, facts, payload, at, at, runner.username, corrects)
            event = new_event(self.uid(), sid, facts.seq + 1, facts.head, to_iso(at), to_iso(at), runner.id,
                              runner.username, payload, corrects, key=self.session_key)
            facts.add(event)
            events.append(event)
            return event

        ids = [p.id for p in roster]
        shuffled = ids[:]
        rnd.shuffle(shuffled)
        absent = shuffled[:max(0, round(len(ids) * rnd.uniform(0, 0.1)))]
        late = shuffled[len(absent):len(absent) + (1 if rnd.random() < 0.6 else 0)]
        present = [c for c in ids if c not in absent and c not in late]
        plan_ahead: list[tuple[datetime, int, Callable[[], Any]]] = []

        def later(at: datetime, fn: Callable[[], Any]) -> None:
            plan_ahead.append((at, len(plan_ahead), fn))

        add("receipt", {"received_by": runner.full_name, "intact": rnd.random() > 0.01, "remark": ""},
            starts - timedelta(minutes=rnd.randrange(15, 30)))
        for c in absent:
            add("absent", {"candidate_id": c, "valid_reason": rnd.choice((True, False, None)),
                           "remark": rnd.choice(("", "ziek gemeld", "niet afgemeld"))},
                starts - timedelta(minutes=rnd.randrange(6, 12)))
        third = len(present) // 3
        for group, before in ((present[:third], 12), (present[third:2 * third], 8), (present[2 * third:], 4)):
            if group:
                add("present", {"candidate_ids": group, "identity_checked": True}, starts - timedelta(minutes=before))
        started = starts + timedelta(minutes=rnd.randrange(0, 4))
        add("start", {}, started)
        admitted = list(present)
        for c in late:
            arrived = started + timedelta(minutes=rnd.randrange(2, 40))
            decision = late_arrival(started, arrived, late_limit)
            later(arrived, lambda c=c, arrived=arrived, decision=decision: add(
                "late", {"candidate_id": c, "admitted": decision.admitted, "limit": to_iso(decision.limit)}, arrived))
            if decision.admitted:
                admitted.append(c)
        end = started + timedelta(minutes=duration + max((p.extra for p in roster), default=0))
        if rnd.random() < 0.1:
            at = started + timedelta(minutes=rnd.randrange(10, max(11, duration // 2)))
            minutes = rnd.randrange(3, 15)

            def pause_pair(at: datetime = at, minutes: int = minutes) -> None:
                pause = add("pause", {"candidate_ids": None, "reason": "Storing in het lokaal"}, at)
                add("resume", {"pause_id": pause.id, "minutes": minutes}, at + timedelta(minutes=minutes))
            later(at, pause_pair)
            end += timedelta(minutes=minutes)
        codes = [c.code for c in catalogue.categories]
        weights = [WEIGHTS.get(c, 1.0) for c in codes]
        unwell: set[int] = set()
        for _ in range(_poisson(rnd, self.size.incidents)):
            code = rnd.choices(codes, weights)[0]
            at = started + timedelta(minutes=rnd.randrange(1, max(2, duration - 5)))
            if code in ("AFWEZIG_ZONDER", "AFWEZIG_MET") and absent:
                named = [rnd.choice(absent)]
            elif code == "TE_LAAT" and late:
                named = [late[0]]
                at = max(at, started + timedelta(minutes=41))
            elif code in COLLECTIVE:
                named = []
            else:
                named = [rnd.choice(admitted)] if admitted else []
                if code in ("AFWEZIG_ZONDER", "AFWEZIG_MET", "TE_LAAT"):
                    code = "WERKPLEK_VAST"
            category = catalogue.get(code)
            data = {"category": code, "catalogue_version": catalogue.version,
                    "route": catalogue.route(code, plan.exam_kind).as_dict(), "all_candidates": not named,
                    "candidate_ids": named,
                    "duration_minutes": rnd.randrange(3, 25) if not named else None,
                    "what_happened": rnd.choice(HAPPENED.get(code, ["Voorval tijdens de afname."])),
                    "what_was_done": rnd.choice(DONE.get(code, ["Genoteerd; examen ging verder."]))}
            if category.sets_status == "onwel" and named and named[0] not in unwell:
                unwell.add(named[0])
                later(at + timedelta(minutes=1), lambda c=named[0], at=at: add(
                    "candidate_status", {"candidate_id": c, "status": "onwel", "remark": ""}, at + timedelta(minutes=1)))

            def incident(data: dict[str, Any] = data, at: datetime = at) -> None:
                original = add("incident", data, at)
                self.stats.incidents += 1
                roll = rnd.random()
                if roll < 0.04:
                    changed = dict(data, what_happened=data["what_happened"] + " Aanvulling: bij navraag bevestigd "
                                   "door de tweede surveillant.")
                    later(at + timedelta(minutes=2), lambda: add("incident", changed, at + timedelta(minutes=2),
                                                                 corrects=original.id))
                elif roll < 0.05:
                    later(at + timedelta(minutes=3), lambda: add("void", {"reason": "Dubbel geregistreerd."},
                                                                 at + timedelta(minutes=3), corrects=original.id))
            later(at, incident)
        for _ in range(_poisson(rnd, 1.5)):
            at = started + timedelta(minutes=rnd.randrange(1, max(2, duration)))
            later(at, lambda at=at: add("remark", {"text": rnd.choice(REMARKS)}, at))
        earliest = started + timedelta(minutes=late_limit + 1)
        for c in admitted:
            if c in unwell or rnd.random() > 0.95:
                continue
            at = max(earliest, end - timedelta(minutes=rnd.randrange(0, max(1, duration // 2))))
            later(at, lambda c=c, at=at: add("candidate_status", {"candidate_id": c, "status": "ingeleverd",
                                                                  "remark": ""}, at))
        for _at, _n, fn in sorted(plan_ahead, key=lambda item: (item[0], item[1])):
            fn()
        last = max(e.occurred for e in events)
        ended = max(end, last + timedelta(minutes=1))
        add("end", {}, ended)
        closed = ended + timedelta(minutes=rnd.randrange(3, 15))
        state = fold(plan, entries, events, closed)
        for c in state.candidates:
            if c.status == "verwacht":
                add("absent", {"candidate_id": c.candidate_id, "valid_reason": None, "remark": "niet verschenen"},
                    closed)
        names = {c.code: c.name for c in catalogue.categories}
        final = fold(plan, entries, events, closed)
        summary = closing_summary(final, names)
        add("close", {"summary": summary.to_json(), "staff": list(summary.staff)}, closed)
        self.stats.events += len(events)
        self.audit(started, runner, "afname gestart", "afname", sid, {"titel": title,
                                                                     "start": started.strftime("%H:%M")})
        self.audit(closed, runner, "afname afgesloten", "afname", sid, {
            "titel": title, "incidenten": len(summary.incidents), "afwezig": len(summary.absent)})
        statuses = {c.candidate_id: c.status for c in final.candidates}
        for chain in incident_chains(events).values():
            if not chain.voided:
                self.desk(chain, plan.exam_kind, ids, statuses, day, {p.id: p for p in roster})
        return events

    # --- the commission's desk ------------------------------------------------------------------------------
    def desk(self, chain: Any, exam_kind: str, roster_ids: list[int], statuses: dict[int, Any], day: date,
             people: dict[int, Person]) -> None:
        """The commission's work on one incident, step by step as the domain allows it, dated after it."""
        from examdesk.domain.incident_desk import available_actions, close_blocker
        from examdesk.domain.incident_state import DeskFacts, project

        rnd = self.rnd
        code = chain.current.payload.category
        age = (self.until - day).days
        if age < 2:
            return
        # the commission works on what matters; a noise complaint or a late arrival mostly stays as recorded
        share = ACTED_ON.get(code, 0.8 if chain.current.payload.route.handler != "examencommissie" else 0.05)
        if rnd.random() >= share * (1 if age > 45 else 0.5):
            return
        desk = DeskFacts()
        when = self.moment(day, 15 * 60)
        iid = chain.original.id
        if rnd.random() < 0.01:   # reclassified: another category of the catalogue, with its route
            desk = self.reclassify(iid, chain, exam_kind, desk, when)
        elif exam_kind == "centraal" and rnd.random() < 0.03:
            state = project(chain, exam_kind, roster_ids, statuses, desk)
            if available_actions(state.facts).doubtful:
                desk = self.doubtful(iid, chain, desk, when)
        collective_decides = rnd.random() < 0.1
        for _ in range(8):
            state = project(chain, exam_kind, roster_ids, statuses, desk)
            facts = state.facts
            actions = available_actions(facts)
            when = when + timedelta(days=rnd.randrange(1, 10), minutes=rnd.randrange(0, 240))
            if when.date() > self.until:
                return
            if actions.report:
                desk = self.report(iid, actions.report, desk, when, day)
            elif actions.answer:
                desk = self.answer(iid, state, desk, when)
            elif actions.decide and (len(state.involved) <= 3 or collective_decides):
                desk = self.decide(iid, state, desk, when, day, people, code)
            elif not close_blocker(facts) and age > 20:
                desk = self.close(iid, desk, when)
                return
            else:
                return

    def _member(self) -> Staff:
        return self.rnd.choice(self.commission)

    def reclassify(self, iid: str, chain: Any, exam_kind: str, desk: Any, when: datetime) -> Any:
        from examdesk.data import incident_desk as desk_data
        from examdesk.domain.catalogue import default_catalogue
        from examdesk.domain.clock import to_iso
        from examdesk.domain.incident_state import DeskFacts, TriageFact

        catalogue = default_catalogue()
        old = chain.current.payload.category
        new = self.rnd.choice([c.code for c in catalogue.categories if c.code != old])
        route = catalogue.route(new, exam_kind)
        who = self._member()

        def run() -> None:
            desk_data.insert_triage(self.store, iid, "herclassificatie", old, route.as_dict(), new,
                                    "Bij nader inzien een andere categorie.", to_iso(when), who.id, who.username)
            self._append(self.store.conn, when, who, "incident geherclassificeerd", "incident", iid,
                         {"van": old, "naar": new, "route": route.handler, "reden": "Bij nader inzien een andere "
                                                                                      "categorie."})
        self.step(when, run)
        return DeskFacts(desk.triage + (TriageFact("herclassificatie", new, route),), desk.reports, desk.answers,
                         desk.decisions, desk.closures)

    def doubtful(self, iid: str, chain: Any, desk: Any, when: datetime) -> Any:
        from examdesk.data import incident_desk as desk_data
        from examdesk.domain.clock import to_iso
        from examdesk.domain.incident_state import DeskFacts, TriageFact

        who = self._member()
        category = chain.current.payload.category

        def run() -> None:
            desk_data.insert_triage(self.store, iid, "twijfelgeval", category, None, None,
                                    "Twijfel of dit onder punt 6 valt.", to_iso(when), who.id, who.username)
            self._append(self.store.conn, when, who, "incident als twijfelgeval gemarkeerd", "incident", iid,
                         {"reden": "Twijfel of dit onder punt 6 valt."})
        self.step(when, run)
        return DeskFacts(desk.triage + (TriageFact("twijfelgeval", None, None),), desk.reports, desk.answers,
                         desk.decisions, desk.closures)

    def report(self, iid: str, subject: str, desk: Any, when: datetime, day: date) -> Any:
        from examdesk.data import incident_desk as desk_data
        from examdesk.domain.clock import to_iso
        from examdesk.domain.incident_state import DeskFacts, ReportFact

        who = self._member()
        reported_on = max(day, when.date() - timedelta(days=1))
        local = f"{iid}#{len(desk.reports)}"
        reference = f"INSP-{when.year}-{self.rnd.randrange(10000, 99999)}"

        def run() -> None:
            self.report_ids[local] = desk_data.insert_report(
                self.store, iid, subject, reported_on, reference, who.id, "", to_iso(when), who.id, who.username)
            self._append(self.store.conn, when, who, "gemeld bij de Inspectie", "incident", iid, {
                "onderwerp": subject, "datum": reported_on.isoformat(), "kenmerk": reference, "door": who.full_name})
        self.step(when, run)
        self._reports += 1
        fact = ReportFact(self._reports, subject, reported_on)   # an id of the in-memory projection only
        return DeskFacts(desk.triage, desk.reports + (fact,), desk.answers, desk.decisions, desk.closures)

    def answer(self, iid: str, state: Any, desk: Any, when: datetime) -> Any:
        from examdesk.data import incident_desk as desk_data
        from examdesk.domain.clock import to_iso
        from examdesk.domain.incident_state import AnswerFact, DeskFacts

        answered = {a.report_id for a in desk.answers}
        waiting = [(n, r) for n, r in enumerate(desk.reports)
                   if r.subject in ("melding", "twijfelgeval") and r.id not in answered]
        n, report = waiting[-1]
        local = f"{iid}#{n}"
        outcome = "opnieuw_afnemen" if self.rnd.random() < 0.5 and state.involved else "terugverwezen"
        ids = list(state.involved[:5]) if outcome == "opnieuw_afnemen" else []
        scope = self.rnd.choice(("geheel", "gedeeltelijk")) if outcome == "opnieuw_afnemen" else None
        answered_on = max(report.reported_on, when.date() - timedelta(days=1))
        who = self._member()
        reference = f"INSP-A-{self.rnd.randrange(10000, 99999)}"

        def run() -> None:
            at = to_iso(when)
            answer_id = desk_data.insert_answer(self.store, self.report_ids[local], iid, outcome, scope, ids,
                                                answered_on, reference, "", at, who.id, who.username)
            for cid in ids:
                desk_data.insert_resit(self.store, cid, iid, None, answer_id, scope or "geheel", False, at)
            self._append(self.store.conn, when, who, "antwoord Inspectie vastgelegd", "incident", iid, {
                "uitkomst": outcome, "omvang": scope, "kandidaten": len(ids), "datum": answered_on.isoformat(),
                "kenmerk": reference})
        self.step(when, run)
        fact = AnswerFact(len(desk.answers) + 1, report.id, outcome)
        return DeskFacts(desk.triage, desk.reports, desk.answers + (fact,), desk.decisions, desk.closures)

    def decide(self, iid: str, state: Any, desk: Any, when: datetime, day: date, people: dict[int, Person],
               code: str) -> Any:
        from examdesk.data import incident_desk as desk_data
        from examdesk.domain.candidates import is_minor
        from examdesk.domain.clock import to_iso
        from examdesk.domain.incident_desk import (
            RESIT_MEASURES,
            DecisionInput,
            Measure,
            allowed_measures,
            check_decision,
        )
        from examdesk.domain.incident_state import DeskFacts

        rnd = self.rnd
        decided = {c for c, current, _measure in desk.decisions if current}
        targets = [c for c in state.involved if c not in decided] or ([] if state.involved else [None])
        point = state.route.protocol_point
        allowed = allowed_measures(point)
        serious = code in ("FRAUDE_KANDIDAAT", "ONWEL", "WERKPLEK_VAST", "PLATFORM_STORING", "STROOMSTORING")
        if serious and rnd.random() < 0.7:
            measures = [rnd.choice(allowed).value]
            reason = ""
        else:
            measures, reason = [], "Geen gevolgen voor de kandidaat: het examen kon volgens de regels verder."
        members = rnd.sample(self.commission, k=3)
        heard = point == 8 and bool(measures)
        decided_on = max(day, when.date())
        d = check_decision(
            DecisionInput(tuple(c for c in targets if c is not None), decided_on, tuple(m.id for m in members),
                          tuple(measures), reason, "De examencommissie heeft de melding van de surveillant en het "
                          "verslag gewogen.", heard, day if heard else None, "geheel"),
            point, day, decided_on, set(state.involved), {m.id: m.full_name for m in self.commission}, {})
        lead = members[0]

        def run() -> None:
            at = to_iso(when)
            for cid in targets:
                person = people.get(cid) if cid is not None else None
                minor = is_minor(person.birth, d.decided_on) if person else None
                decision_id = desk_data.insert_decision(
                    self.store, iid, cid, d.decided_on, point, list(d.measures),
                    d.retake_scope if "ongeldig_opnieuw" in d.measures else None, d.no_measure_reason, d.reasoning,
                    d.heard, d.heard_on, minor, None, "", [(m.id, m.full_name) for m in members], at, lead.id,
                    lead.username)
                number = self.store.query_one("SELECT number FROM decisions WHERE id = ?", (decision_id,))[0]
                if cid is not None and any(Measure(m) in RESIT_MEASURES for m in d.measures):
                    desk_data.insert_resit(self.store, cid, iid, decision_id, None, d.retake_scope
                                           if "ongeldig_opnieuw" in d.measures else "geheel",
                                           "volgend_tijdvak" in d.measures, at)
                self._append(self.store.conn, when, lead, "besluit genomen", "besluit", decision_id, {
                    "incident": iid, "nummer": number, "kandidaat": person.student_number if person else None,
                    "maatregelen": list(d.measures), "geen_maatregel": d.no_measure_reason,
                    "datum": d.decided_on.isoformat(), "gehoord": d.heard, "minderjarig": minor, "vervangt": None})
                self.stats.decisions += 1
        self.step(when, run)
        return DeskFacts(desk.triage, desk.reports, desk.answers, desk.decisions + tuple((c, True, bool(d.measures)) for c in targets),
                         desk.closures)

    def close(self, iid: str, desk: Any, when: datetime) -> Any:
        from examdesk.data import incident_desk as desk_data
        from examdesk.domain.clock import to_iso
        from examdesk.domain.incident_state import DeskFacts

        who = self._member()

        def run() -> None:
            desk_data.insert_closure(self.store, iid, "afgesloten", "", to_iso(when), who.id, who.username)
            self._append(self.store.conn, when, who, "incident afgesloten", "incident", iid, {"opmerking": ""})
        self.step(when, run)
        return DeskFacts(desk.triage, desk.reports, desk.answers, desk.decisions, desk.closures + ("afgesloten",))

    # --- documents ---------------------------------------------------------------------------------------------
    def documents(self, start: date, end: date, count: int) -> None:
        """A few documents per year, issued through DocumentService at a moment of that year (the audit
        entry it writes is dated then too)."""
        from examdesk.data import audit as audit_data
        from examdesk.data import users as user_data
        from examdesk.domain.errors import ExamDeskError
        from examdesk.services.context import AppContext
        from examdesk.services.documents import DocumentService

        closed = [r[0] for r in self.store.query(
            "SELECT id FROM sessions WHERE status = 'afgesloten' AND session_date BETWEEN ? AND ? ORDER BY id",
            (start.isoformat(), end.isoformat()))]
        letters = [r[0] for r in self.store.query(
            "SELECT d.id FROM decisions d JOIN incident_index ii ON ii.incident_id = d.incident_id"
            " WHERE d.candidate_id IS NOT NULL AND ii.session_date BETWEEN ? AND ? ORDER BY d.id",
            (start.isoformat(), end.isoformat()))]
        subjects = [("procesverbaal", s) for s in self.rnd.sample(closed, k=min(len(closed), count // 2))]
        subjects += [("besluit", d) for d in self.rnd.sample(letters, k=min(len(letters), count - len(subjects)))]
        moment = self.moment(min(end, self.until), 16 * 60)
        who = user_data.get(self.store, self.commission[0].id)
        service = DocumentService(AppContext(self.store, who, clock=lambda: moment))
        saved = audit_data.now
        audit_data.now = lambda: moment   # ctx.audit dates its entry 'now': the simulated moment
        try:
            for kind, subject in subjects:
                try:
                    service.issue(kind, subject)
                except ExamDeskError as exc:
                    self.log(f"    {kind} {subject}: {exc.message}")
                    continue
                self.stats.documents += 1
        finally:
            audit_data.now = saved


def _poisson(rnd: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


# --- command line --------------------------------------------------------------------------------------------

def size_from_args(args: argparse.Namespace) -> Size:
    size = PRESETS[args.size]
    changes = {k: v for k, v in (("years", args.years), ("sessions", args.sessions), ("candidates", args.candidates),
                                 ("locations", args.locations), ("until", args.until), ("seed", args.seed))
               if v is not None}
    return replace(size, **changes)


def verify(entry: Entry) -> tuple[bool, str, float]:
    """`examdesk verify` on a copy of the entry, with its keys; (passed, what it printed, seconds)."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="examdesk-verify-") as folder:
        home = Path(folder) / "home"
        db = install(entry, home, Path(folder) / "examdesk.sqlite")
        env = dict(os.environ, EXAMDESK_HOME=str(home), EXAMDESK_KEYS="bestand")
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "examdesk", "verify", "--db", str(db)], env=env,
                              capture_output=True, text=True)
        return done.returncode == 0, (done.stdout + done.stderr).strip(), time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(PRESETS), default=None,
                        help="a preset (default: make both 1y and 10y)")
    parser.add_argument("--years", type=float)
    parser.add_argument("--sessions", type=int, help="sessions per school year")
    parser.add_argument("--candidates", type=int, help="candidates per school year")
    parser.add_argument("--locations", type=int)
    parser.add_argument("--until", help="the last day of the history (jjjj-mm-dd)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--force", action="store_true", help="generate again even when cached")
    parser.add_argument("--verify", action="store_true", help="run 'examdesk verify' on the result")
    args = parser.parse_args()
    presets = [args.size] if args.size else ["1y", "10y"]
    for name in presets:
        args.size = name
        size = size_from_args(args)
        print(f"{name}: {size.key} in {cache_root()}")
        entry = ensure(size, force=args.force, log=print)
        info = entry.info
        print(f"  {entry.database} ({info['megabytes']} MB, gemaakt in {info['seconds']} s)")
        print("  " + ", ".join(f"{k} {v:,}" for k, v in info["counts"].items()))
        print("  tijden: " + ", ".join(f"{k} {v} s" for k, v in info["timings"].items()))
        if args.verify:
            ok, text, seconds = verify(entry)
            print(f"  examdesk verify ({seconds:.1f} s): {'in orde' if ok else 'NIET IN ORDE'}")
            if not ok:
                print(text)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
