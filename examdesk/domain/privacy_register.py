"""The register of personal data (AVG art. 30): every column ExamDesk stores, marked personal or not.

Every column of every table is listed here, once: in `PERSONAL` with the purpose it serves, or in
`NOT_PERSONAL` (reviewed: holds no personal data). `tests/domain/test_privacy_register.py` compares this
with the schema of a fresh database, so a new column or table fails the suite until someone decides what
it holds and why; `docs/privacy.md` is checked to name every personal field. Derived copies (search
tables, the incident index) are personal where their source is, and are rebuilt by anonymisation.
"""

from __future__ import annotations

from dataclasses import dataclass

CANDIDATE, STAFF = "kandidaat", "medewerker"


@dataclass(frozen=True)
class Purpose:
    key: str
    purpose: str        # why ExamDesk keeps it (Dutch)
    ground: str         # the legal ground (AVG art. 6, and art. 9 for health data)
    who: str            # the roles that see it
    retention: str      # which retention period (domain/privacy.RETENTION_SETTINGS) or rule applies


_TASK = "AVG art. 6 lid 1 sub e (taak van algemeen belang: examinering, WEB 7.4.5 en het examenreglement)"
_DUTY = "AVG art. 6 lid 1 sub c (wettelijke plicht: examenprotocol, Beleidsregel Inspectie)"
PURPOSES: dict[str, Purpose] = {p.key: p for p in (
    Purpose("identify", "De kandidaat herkennen bij de afname, op de lijsten en in de documenten.", _TASK,
            "examenbureau, examencommissie; surveillant alleen van de eigen afname (zonder geboortedatum)",
            "resultaten"),
    Purpose("link", "Koppelen met het studentvolgsysteem (import) en de kandidaat eenduidig aanwijzen.", _TASK,
            "examenbureau, examencommissie; surveillant van de eigen afname", "resultaten"),
    Purpose("minor", "Bepalen of de kandidaat minderjarig is op de datum van een besluit: de wettelijk "
            "vertegenwoordigers krijgen dan een afschrift (examenprotocol 6–8). Na anonimisering blijft alleen "
            "minderjarig/meerderjarig op de datums die ertoe doen.", _DUTY,
            "examenbureau, examencommissie (niet de surveillant)", "resultaten"),
    Purpose("planning", "Afnames plannen per kwalificatie en groep, en bepalen welke producten de kandidaat "
            "mag maken (doelgroep, seed 002).", _TASK, "examenbureau, examencommissie", "resultaten"),
    Purpose("accommodation", "Passend examineren: extra tijd en voorzieningen geven en op het procesverbaal "
            "zetten (examenprotocol punt 11d en 12). De reden kan over gezondheid gaan.",
            _DUTY + "; art. 9 lid 2 sub g AVG (gezondheid, gelijke behandeling)",
            "examenbureau, examencommissie; de surveillant ziet de extra tijd en voorzieningen, niet de reden",
            "resultaten"),
    Purpose("session_record", "Het verslag van de afname: aanwezigheid, te laat, onwel, incidenten en wat "
            "er gebeurde (procesverbaal, examenprotocol punt 11).", _DUTY,
            "examencommissie; surveillant van de eigen afname", "dossiers"),
    Purpose("case", "Incidenten afhandelen: triage, melding aan de Inspectie, besluiten, herkansingen, "
            "brieven (examenprotocol 6–10, Beleidsregel).", _DUTY, "examencommissie", "dossiers"),
    Purpose("hearing", "Hoor en wederhoor vóór een maatregel: de uitnodiging, het horen met het verhaal van de "
            "kandidaat in eigen woorden, een vertegenwoordiger of tolk, of waarom niet gehoord (examenprotocol 8).",
            _DUTY, "examencommissie", "dossiers"),
    Purpose("evidence", "Bewijs bij een incident of horen (foto, schermafdruk, scan, e-mail): het dossier dat een "
            "commissie van beroep of de Inspectie opvraagt, met de SHA-256 op procesverbaal en besluitbrief.", _DUTY,
            "examencommissie", "dossiers (het bestand; SHA-256, grootte en soort blijven)"),
    Purpose("appeal", "Beroep bij de commissie van beroep: ingesteld wanneer en door wie, de termijn, de zitting en "
            "de uitspraak (examenprotocol 8F).", _DUTY, "examencommissie", "dossiers"),
    Purpose("documents", "Uitgegeven documenten (procesverbaal, besluitbrief, incidentendossier) met hun "
            "vingerafdruk, om een papieren exemplaar te kunnen controleren.", _DUTY,
            "examencommissie, examenbureau", "dossiers (de pdf; de vingerafdruk blijft)"),
    Purpose("audit", "Verantwoording: wie deed wat wanneer (auditlogboek, wie keek in een dossier).",
            "AVG art. 5 lid 2 en art. 32 (verantwoording en beveiliging)", "beheerder, examencommissie",
            "zolang de database bestaat; namen van kandidaten worden bij anonimisering vervangen"),
    Purpose("account", "Inloggen en rechten: wie mag wat (accounts en rollen).", "AVG art. 32 (beveiliging)",
            "beheerder", "accounts"),
    Purpose("staff_record", "Wie een afname afnam, een besluit nam of iets vastlegde: de naam staat in het "
            "verzegelde verslag en op het procesverbaal (punt 11a).", _DUTY, "examencommissie",
            "dossiers"),
    Purpose("contact", "De indiener van een melding bij de Inspectie: functie, telefoon en e-mail staan op "
            "het aanvraagformulier.", _DUTY, "beheerder, examencommissie", "accounts"),
    Purpose("security", "Inlogpogingen tellen en een account tijdelijk blokkeren.", "AVG art. 32 (beveiliging)",
            "niemand (alleen ExamDesk)", "tot de volgende geslaagde login"),
    Purpose("retention", "Bewaartermijnen bewaken: per kandidaat de datum van de laatste afname, van het laatste "
            "incident of besluit en of een incident openstaat, zodat de maandelijkse controle niet de hele geschiedenis "
            "leest; een afgeleide kopie van de afnames, incidenten en besluiten.", "AVG art. 5 lid 1 sub e "
            "(opslagbeperking)", "beheerder (de lijst van wie over de termijn is)", "tot de anonimisering"),
    Purpose("search", "Zoekindex: een afgeleide kopie om snel te zoeken; wordt bij anonimisering opnieuw "
            "opgebouwd.", "als de bron", "als de bron", "als de bron"),
)}


@dataclass(frozen=True)
class PersonalField:
    table: str
    column: str
    subject: str        # whose data: kandidaat or medewerker
    purpose: str        # key in PURPOSES
    note: str = ""      # Dutch: what anonymisation does with it, or a remark

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"


def _fields(table: str, subject: str, purpose: str, columns: str, note: str = "") -> tuple[PersonalField, ...]:
    return tuple(PersonalField(table, c, subject, purpose, note) for c in columns.split())


_SEARCH_NOTE = "afgeleide kopie, opnieuw opgebouwd bij anonimisering"
PERSONAL: tuple[PersonalField, ...] = (
    *_fields("candidates", CANDIDATE, "link", "student_number", "wordt een sleutel-hash (anon-…)"),
    *_fields("candidates", CANDIDATE, "identify", "last_name", "wordt een pseudoniem (Kandidaat …)"),
    *_fields("candidates", CANDIDATE, "identify", "prefix first_name", "leeggemaakt"),
    *_fields("candidates", CANDIDATE, "minor", "birth_date",
             "leeggemaakt; minderjarig ja/nee per datum die ertoe doet blijft (candidate_anonymisations)"),
    *_fields("candidates", CANDIDATE, "planning", "crebo cohort target_group created_at updated_at", "blijft (statistiek)"),
    *_fields("candidates", CANDIDATE, "accommodation", "extra_minutes facilities", "blijft (statistiek)"),
    *_fields("candidates", CANDIDATE, "accommodation", "extra_reason facility_other", "wordt [verwijderd]"),
    *_fields("session_candidates", CANDIDATE, "accommodation", "candidate_id workstation extra_minutes facilities",
             "blijft (telt mee in aantallen)"),
    *_fields("session_events", CANDIDATE, "session_record", "data",
             "vrije teksten over de kandidaat worden [verwijderd], naam en studentnummer vervangen"),
    *_fields("session_events", STAFF, "staff_record", "user_id username"),
    *_fields("incident_index", CANDIDATE, "session_record", "what_happened what_was_done",
             "afgeleid van de gebeurtenissen, opnieuw berekend"),
    *_fields("incident_candidates", CANDIDATE, "case", "candidate_id"),
    *_fields("incident_drafts", STAFF, "session_record", "data", "kladruimte; verwijderd bij anonimisering"),
    *_fields("incident_drafts", STAFF, "staff_record", "user_id"),
    *_fields("decisions", CANDIDATE, "case", "candidate_id measures retake_scope heard heard_on minor"),
    *_fields("decisions", CANDIDATE, "case", "reasoning no_measure_reason revision_reason", "wordt [verwijderd]"),
    *_fields("decisions", STAFF, "staff_record", "user_id username"),
    *_fields("decision_members", STAFF, "staff_record", "user_id full_name"),
    *_fields("resits", CANDIDATE, "case", "candidate_id scope"),
    *_fields("hearings", CANDIDATE, "hearing", "candidate_id invited_on invited_how outcome held_on"),
    *_fields("hearings", CANDIDATE, "hearing", "account representative interpreter reason", "wordt [verwijderd]"),
    *_fields("hearings", STAFF, "staff_record", "heard_by user_id username"),
    *_fields("attachments", CANDIDATE, "evidence", "candidate_id"),
    *_fields("attachments", CANDIDATE, "evidence", "content",
             "het bestand wordt verwijderd; SHA-256, grootte en soort blijven"),
    *_fields("attachments", CANDIDATE, "evidence", "file_name description", "wordt [verwijderd]"),
    *_fields("attachments", STAFF, "staff_record", "user_id username"),
    *_fields("decision_signers", STAFF, "staff_record", "user_id username full_name"),
    *_fields("appeals", CANDIDATE, "appeal", "candidate_id lodged_on term_until"),
    *_fields("appeals", CANDIDATE, "appeal", "lodged_by late_reason", "wordt [verwijderd]"),
    *_fields("appeals", STAFF, "staff_record", "user_id username"),
    *_fields("appeal_hearings", CANDIDATE, "appeal", "held_on"),
    *_fields("appeal_hearings", CANDIDATE, "appeal", "note", "wordt [verwijderd]"),
    *_fields("appeal_hearings", STAFF, "staff_record", "user_id username"),
    *_fields("appeal_outcomes", CANDIDATE, "appeal", "outcome decided_on"),
    *_fields("appeal_outcomes", CANDIDATE, "appeal", "note", "wordt [verwijderd]"),
    *_fields("appeal_outcomes", STAFF, "staff_record", "user_id username"),
    *_fields("inspectie_answers", CANDIDATE, "case", "candidate_ids"),
    *_fields("inspectie_answers", CANDIDATE, "case", "remark", "wordt [verwijderd]"),
    *_fields("inspectie_answers", STAFF, "staff_record", "user_id username"),
    *_fields("inspectie_reports", CANDIDATE, "case", "remark", "wordt [verwijderd]"),
    *_fields("inspectie_reports", STAFF, "staff_record", "reported_by user_id username"),
    *_fields("incident_triage", CANDIDATE, "case", "reason", "wordt [verwijderd]"),
    *_fields("incident_triage", STAFF, "staff_record", "user_id username"),
    *_fields("incident_closures", CANDIDATE, "case", "note", "wordt [verwijderd]"),
    *_fields("incident_closures", STAFF, "staff_record", "user_id username"),
    *_fields("minor_answers", CANDIDATE, "minor", "minor"),
    *_fields("minor_answers", CANDIDATE, "minor", "note", "wordt [verwijderd]"),
    *_fields("minor_answers", STAFF, "staff_record", "user_id username"),
    *_fields("letter_dispatches", STAFF, "staff_record", "user_id username"),
    *_fields("commission_policies", STAFF, "staff_record", "user_id username"),
    *_fields("grade_determinations", STAFF, "staff_record", "processed_by user_id username"),
    *_fields("documents", CANDIDATE, "documents", "pdf title", "de pdf wordt verwijderd; de vingerafdruk blijft"),
    *_fields("documents", STAFF, "staff_record", "created_by"),
    *_fields("audit_log", CANDIDATE, "audit", "entity_id summary",
             "naam en studentnummer van de kandidaat vervangen (de keten blijft controleerbaar)"),
    *_fields("audit_log", STAFF, "audit", "user_id username"),
    *_fields("audit_subjects", CANDIDATE, "audit", "candidate_id"),
    *_fields("candidate_anonymisations", CANDIDATE, "minor", "candidate_id minor_on pseudonym"),
    *_fields("candidate_retention", CANDIDATE, "retention", "candidate_id last_session results_from last_case open_desk",
             "de rij verdwijnt"),
    *_fields("users", STAFF, "account", "username full_name password_hash active created_at"),
    *_fields("users", STAFF, "contact", "function phone email"),
    *_fields("users", STAFF, "security", "failed_attempts locked_until"),
    *_fields("user_roles", STAFF, "account", "user_id role"),
    *_fields("login_throttle", STAFF, "security", "name_key failed_attempts locked_until updated_at"),
    *_fields("session_invigilators", STAFF, "staff_record", "user_id"),
    *_fields("sessions", STAFF, "staff_record", "created_by"),
    *_fields("session_planning_notes", STAFF, "staff_record", "recorded_by"),
    *_fields("instrument_status", STAFF, "staff_record", "recorded_by"),
    *_fields("instrument_criteria", STAFF, "staff_record", "checked_by recorded_by"),
    *_fields("route_choices", STAFF, "staff_record", "adopted_by"),
    *_fields("route_exceptions", STAFF, "staff_record", "decided_by recorded_by"),
    *_fields("exam_periods", STAFF, "staff_record", "added_by"),
    *_fields("exchange_log", STAFF, "staff_record", "username"),
    *_fields("exchange_keys", STAFF, "staff_record", "confirmed_by"),
    *_fields("exchange_key_revocations", STAFF, "staff_record", "revoked_by"),
    *_fields("supplier_certificates", STAFF, "staff_record", "replaced_by"),
    *_fields("incident_search", CANDIDATE, "search", "body", _SEARCH_NOTE),
    *_fields("incident_search_content", CANDIDATE, "search", "c0", _SEARCH_NOTE),
    *_fields("candidate_search", CANDIDATE, "search", "body", _SEARCH_NOTE),
    *_fields("candidate_search_content", CANDIDATE, "search", "c0", _SEARCH_NOTE),
    *_fields("audit_search", CANDIDATE, "search", "body", _SEARCH_NOTE),
    *_fields("audit_search_content", CANDIDATE, "search", "c0", _SEARCH_NOTE),
    *_fields("incident_search_data", CANDIDATE, "search", "block", _SEARCH_NOTE),
    *_fields("candidate_search_data", CANDIDATE, "search", "block", _SEARCH_NOTE),
    *_fields("audit_search_data", CANDIDATE, "search", "block", _SEARCH_NOTE),
    *_fields("incident_search_idx", CANDIDATE, "search", "term", _SEARCH_NOTE),
    *_fields("candidate_search_idx", CANDIDATE, "search", "term", _SEARCH_NOTE),
    *_fields("audit_search_idx", CANDIDATE, "search", "term", _SEARCH_NOTE),
)

# Reviewed, holding no personal data: table -> its columns. A free text here (a session's title, a
# planning note) is about an exam, not a person; anonymisation still replaces a candidate's name in it.
NOT_PERSONAL: dict[str, str] = {
    "meta": "key value",
    "settings": "key value",
    "institution": "id name brin commission_name place late_admission_minutes appeal_term_days appeal_body",
    "users": "id",
    "appeal_hearings": "id appeal_id recorded_at",
    "appeal_outcomes": "id appeal_id new_decision_id recorded_at",
    "appeals": "id decision_id recorded_at",
    "attachments": "id incident_id hearing_id media_type size sha256 recorded_at",
    "audit_log": "seq at action entity prev_hash hash",
    "audit_search": "",
    "audit_search_config": "k v",
    "audit_search_content": "id",
    "audit_search_data": "id",
    "audit_search_docsize": "id sz",
    "audit_search_idx": "segid pgno",
    "audit_subjects": "seq",
    "candidate_anonymisations": "anonymised_at",
    "candidate_mappings": "source mapping updated_at",
    "candidate_search": "",
    "candidate_search_config": "k v",
    "candidate_search_content": "id",
    "candidate_search_data": "id",
    "candidate_search_docsize": "id sz",
    "candidate_search_idx": "segid pgno",
    "candidates": "id",
    "commission_policies": "id school_year text recorded_at",
    "decision_members": "decision_id",
    "decision_signers": "id decision_id how confirmed_at",
    "decisions": "id number incident_id decided_on protocol_point supersedes recorded_at",
    "documents": "id kind subject_id fingerprint created_at model audit_seq audit_hash",
    "event_origins": "event_id origin origin_seq origin_prev_hash origin_hash origin_user_id import_seq signer",
    "exam_pc_receipts": "session_id receipt_sha256 signer received_at forgotten_at",
    "exam_periods": "id school_year period starts_on ends_on exam week source added_at",
    "exchange_key_revocations": "fingerprint revoked_at reason",
    "exchange_keys": "fingerprint role signing_key exchange_key database_id institution label first_file "
                     "first_file_at confirmed_at confirmed_how",
    "exchange_log": "seq file_id direction kind file_name file_sha256 origin at sessions outcome signer sequence",
    "grade_determinations": "id session_id processed_on system remark recorded_at",
    "incident_candidates": "incident_id",
    "incident_closures": "id incident_id action at",
    "hearings": "id incident_id decision_id recorded_at",
    "incident_drafts": "session_id saved_at",
    "incident_index": "incident_id session_id current_id current_seq corrections voided occurred_at category "
                      "handler protocol_point letter serious decision_to_inspectie all_candidates route_category "
                      "route_handler route_point route_letter route_serious route_to_inspectie reclassified "
                      "doubtful reported reported_on open_report last_answer decision_reported decision_count "
                      "undecided candidate_count closed activity status status_rank effective_handler to_report "
                      "duration_minutes session_date location_id measure_count found_on",
    "incident_status_counts": "status n",
    "incident_search": "state",
    "incident_search_config": "k v",
    "incident_search_content": "id c1",
    "incident_search_data": "id",
    "incident_search_docsize": "id sz",
    "incident_search_idx": "segid pgno",
    "incident_triage": "id incident_id kind previous_category category handler protocol_point letter serious "
                       "decision_to_inspectie recorded_at",
    "incident_versions": "event_id incident_id",
    "inspectie_answers": "id report_id incident_id outcome scope answered_on reference recorded_at",
    "inspectie_reports": "id incident_id subject reported_on reference recorded_at",
    "instrument_criteria": "seq instrument_id criterion met checked_on note recorded_at",
    "instrument_status": "seq instrument_id status effective_on decision_number reason recorded_at",
    "instrument_validity": "instrument_id valid provisional reasons status stable_from stable_until",
    "instruments": "id code title crebo part kind formative route supplier_id validator validation_date version "
                   "created_at updated_at assignments purchased_on",
    "letter_dispatches": "id decision_id sent_on recorded_at",
    "letters_due": "decision_id incident_id",
    "appeal_work": "decision_id incident_id appeal_id sent_on lodged_on",
    "locations": "id name address",
    "minor_answers": "id decision_id recorded_at",
    "qualifications": "crebo name niveau dossier dossier_crebo domain kind valid_from valid_until updated_at",
    "redactions": "id record row_key original content anonymisation mac at",
    "resit_withdrawals": "resit_id decision_id at",
    "resits": "id incident_id decision_id answer_id not_before_next_period created_at",
    "rooms": "id location_id name workstations",
    "route_choices": "crebo school_year routes considerations adopted_on updated_at",
    "route_exceptions": "instrument_id school_year reason decided_on recorded_at",
    "session_candidates": "session_id",
    "session_chain_anchors": "session_id keyed_from prev_hash mac",
    "session_events": "id session_id seq occurred_at recorded_at kind corrects prev_hash hash",
    "session_invigilators": "session_id",
    "session_planning_notes": "id session_id kind text recorded_at",
    "session_search": "body",
    "session_search_config": "k v",
    "session_search_content": "id c0",
    "session_search_data": "id block",
    "session_search_docsize": "id sz",
    "session_search_idx": "segid term pgno",
    "sessions": "id exam_kind instrument_id central_exam title session_date starts_at duration_minutes room_id "
                "variant period late_limit_minutes status created_at",
    "supplier_certificates": "id supplier_id number authority starts_on ends_on replaced_at",
    "suppliers": "id name authority certificate_number certified_from certified_until updated_at cooperative",
}


# how a candidate's own fields are named for them (the subject-access document)
FIELD_LABELS: dict[str, str] = {
    "student_number": "studentnummer", "last_name": "achternaam", "prefix": "tussenvoegsel", "first_name": "voornaam",
    "birth_date": "geboortedatum", "crebo": "kwalificatie", "cohort": "cohort", "target_group": "doelgroep",
    "created_at": "ingeschreven op", "updated_at": "gewijzigd op", "extra_minutes": "extra tijd",
    "facilities": "voorzieningen", "extra_reason": "reden extra tijd", "facility_other": "andere voorziening",
}


def classified() -> dict[str, set[str]]:
    """table -> every column this register names (personal or not)."""
    found: dict[str, set[str]] = {}
    for f in PERSONAL:
        found.setdefault(f.table, set()).add(f.column)
    for table, columns in NOT_PERSONAL.items():
        found.setdefault(table, set()).update(columns.split())
    return found


def candidate_fields() -> list[PersonalField]:
    return [f for f in PERSONAL if f.subject == CANDIDATE]
