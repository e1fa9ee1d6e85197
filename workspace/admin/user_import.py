"""Reading a CSV file of people to invite: encoding, delimiter, header and every row checked
before anything is created, so that a file with one wrong row imports nothing."""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import select

from workspace.auth.labels import FUNCTION_LABELS
from workspace.auth.models import FUNCTION_OTHER, User
from workspace.auth.service import normalise_email
from workspace.communes.models import Organisation
from workspace.extensions import db

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2000
COLUMNS = ("email", "prenom", "nom", "organisation", "fonction", "poste", "telephone")
REQUIRED_COLUMNS = ("email", "prenom", "nom")
# Other spellings met in spreadsheets, compared once slugified ("E-mail" -> "e-mail").
COLUMN_ALIASES = {"e-mail": "email", "courriel": "email", "adresse-e-mail": "email",
                  "commune": "organisation", "intitule-du-poste": "poste", "tel": "telephone"}
LIMITS = {"email": 254, "prenom": 80, "nom": 80, "poste": 160, "telephone": 40}
EXAMPLE_EMAIL = "prenom.nom@example.org"


@dataclass
class ImportRow:
    line: int
    email: str
    first_name: str
    last_name: str
    organisation_id: int | None
    network_function: str
    job_title: str
    phone: str


@dataclass
class RowError:
    line: int | None  # None: the file as a whole
    message: str
    email: str = ""


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def fail(self, message: str) -> ImportResult:
        self.rows = []
        self.errors.append(RowError(None, message))
        return self


def read_user_import(data: bytes) -> ImportResult:
    """Decode and check a whole file; `rows` are ready to create only when `errors` is empty."""
    result = ImportResult()
    if len(data) > MAX_IMPORT_BYTES:
        return result.fail(_("Le fichier dépasse 1 Mo. Découpez-le en plusieurs fichiers."))
    text = _decode(data)
    if text is None:
        return result.fail(_(
            "Le fichier n'est pas un texte CSV lisible (encodage inconnu, ou classeur Excel ?). "
            "Dans votre tableur, choisissez « Enregistrer sous » puis le format « CSV UTF-8 »."))
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(";,\t", key=first.count) if first else ","
    try:
        records = _records(text, delimiter)
        header = next(records, None)
        if header is None:
            return result.fail(_("Le fichier est vide."))
        columns, problem = _read_header(header[1])
        if problem:
            return result.fail(problem)
        _check_rows(result, columns, records)
    except csv.Error as error:
        return result.fail(_("Le fichier CSV est mal formé (%(detail)s).", detail=str(error)))
    if not result.errors and not result.rows:
        return result.fail(_("Le fichier ne contient aucune personne à inviter."))
    return result


def _decode(data: bytes) -> str | None:
    """UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _records(text: str, delimiter: str):
    """(first line number, cells) of every non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_line = 0
    for cells in reader:
        start, previous_line = previous_line + 1, reader.line_num
        cells = [cell.strip() for cell in cells]
        if any(cells):
            yield start, cells


def _read_header(cells: list[str]) -> tuple[list[str], str | None]:
    names = [COLUMN_ALIASES.get(slugify(cell), slugify(cell).replace("-", "_")) for cell in cells]
    unknown = [cell for cell, name in zip(cells, names, strict=False) if name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    doubled = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if not (unknown or missing or doubled):
        return names, None
    details = []
    if missing:
        details.append(_("colonnes manquantes : %(names)s", names=", ".join(missing)))
    if unknown:
        details.append(_("colonnes inconnues : %(names)s", names=", ".join(unknown)))
    if doubled:
        details.append(_("colonnes en double : %(names)s", names=", ".join(doubled)))
    return names, _("La première ligne doit donner les noms des colonnes : %(expected)s "
                    "(%(details)s). Téléchargez le modèle pour partir d'un fichier correct.",
                    expected=",".join(COLUMNS), details=" ; ".join(details))


def _check_rows(result: ImportResult, columns: list[str], records) -> None:
    organisations, functions = _organisations_by_slug(), _functions_by_slug()
    seen: dict[str, int] = {}
    candidates: list[ImportRow] = []
    for count, (line, cells) in enumerate(records, start=1):
        if count > MAX_IMPORT_ROWS:
            result.errors.clear()
            result.fail(_("Le fichier compte plus de %(n)d personnes. Découpez-le en plusieurs "
                          "fichiers.", n=MAX_IMPORT_ROWS))
            return
        values = dict(zip(columns, cells, strict=False))
        row = ImportRow(line=line, email=normalise_email(values.get("email", "")),
                        first_name=values.get("prenom", ""), last_name=values.get("nom", ""),
                        organisation_id=None, network_function=FUNCTION_OTHER,
                        job_title=values.get("poste", ""), phone=values.get("telephone", ""))
        problems = _row_problems(row, values, len(cells) > len(columns), seen, organisations,
                                 functions)
        result.errors += [RowError(line, problem, row.email) for problem in problems]
        candidates.append(row)
    for email in _existing_emails(list(seen)):
        result.errors.append(RowError(seen[email], _("Un compte existe déjà avec cette adresse."),
                                      email))
    result.errors.sort(key=lambda row_error: row_error.line or 0)
    result.rows = [] if result.errors else candidates


def _row_problems(row: ImportRow, values: dict[str, str], too_many_cells: bool,
                  seen: dict[str, int], organisations: dict[str, Organisation],
                  functions: dict[str, str]) -> list[str]:
    """What is wrong with one row; fills in its organisation and function when they match."""
    problems = []
    if too_many_cells:
        problems.append(_("Plus de valeurs que de colonnes (un séparateur en trop ?)."))
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            problems.append(_("La colonne %(column)s dépasse %(n)d caractères.",
                              column=column, n=limit))
    if not row.first_name or not row.last_name:
        problems.append(_("Le prénom et le nom sont obligatoires."))
    email_problem = _email_problem(row.email)
    if email_problem:
        problems.append(email_problem)
    elif row.email in seen:
        problems.append(_("Adresse déjà présente ligne %(line)d du fichier.",
                          line=seen[row.email]))
    else:
        seen[row.email] = row.line
    row.organisation_id, problem = _match_organisation(values.get("organisation", ""),
                                                       organisations)
    if problem:
        problems.append(problem)
    function = functions.get(slugify(values.get("fonction", "")) or slugify(FUNCTION_OTHER))
    if function is None:
        problems.append(_("Fonction inconnue : « %(value)s ».", value=values.get("fonction")))
    row.network_function = function or FUNCTION_OTHER
    return problems


def _email_problem(email: str) -> str | None:
    if not email:
        return _("L'adresse e-mail est obligatoire.")
    if email == EXAMPLE_EMAIL:
        return _("C'est la ligne d'exemple du modèle : supprimez-la.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _("Adresse e-mail invalide : « %(email)s ».", email=email)
    return None


def _organisations_by_slug() -> dict[str, Organisation]:
    return {slugify(o.name): o for o in db.session.scalars(select(Organisation))}


def _match_organisation(name: str, organisations: dict[str, Organisation]):
    """(organisation id or None, problem or None): names compared without accents or case."""
    if not name:
        return None, None
    organisation = organisations.get(slugify(name))
    if organisation is None:
        return None, _("Organisation inconnue : « %(name)s ».", name=name)
    if organisation.is_archived:
        return None, _("L'organisation « %(name)s » est archivée.", name=organisation.name)
    return organisation.id, None


def _functions_by_slug() -> dict[str, str]:
    """Codes and French labels (and those of the reader's language) -> function code."""
    known = {slugify(code): code for code in FUNCTION_LABELS}
    known.update({slugify(str(label)): code for code, label in FUNCTION_LABELS.items()})
    with force_locale("fr"):
        known.update({slugify(str(label)): code for code, label in FUNCTION_LABELS.items()})
    return known


def _existing_emails(emails: list[str]) -> list[str]:
    found: list[str] = []
    for start in range(0, len(emails), 500):
        found += db.session.scalars(select(User.email).where(
            User.email.in_(emails[start:start + 500])))
    return found


def import_template() -> bytes:
    """The example file: UTF-8 with BOM and `;` so that Excel in French opens it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    with force_locale("fr"):
        writer.writerow([EXAMPLE_EMAIL, "Prénom", "Nom", "Yvré-l'Évêque",
                         str(FUNCTION_LABELS["it_correspondent"]), "Responsable informatique",
                         "02 43 00 00 00"])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
