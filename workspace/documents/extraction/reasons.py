"""Every reason shown to users, in French.

Each is wrapped in ``N_``, which returns its argument, so that ``pybabel extract`` collects
them: the caller stores the French text and may pass it through gettext when displaying it
(the ones with a number in them stay French).
"""
from __future__ import annotations


def N_(message: str) -> str:
    return message


PROTECTED = N_("Le fichier est protégé par un mot de passe.")
PDF_UNREADABLE = N_("PDF illisible ou tronqué.")
PDF_BOMB = N_("PDF suspect : données compressées démesurées.")
ZIP_UNREADABLE = N_("Fichier endommagé : archive illisible.")
ZIP_TOO_MANY_ENTRIES = N_("Archive suspecte : trop de fichiers.")
ZIP_RATIO = N_("Archive suspecte : taux de compression anormal.")
ZIP_TOO_BIG = N_("Archive trop volumineuse une fois décompressée.")
ZIP_MISSING_PART = N_("Document incomplet : contenu introuvable dans l'archive.")
XML_DOCTYPE = N_("Document XML refusé : déclaration DOCTYPE interdite.")
XML_UNREADABLE = N_("Document endommagé : XML illisible.")
TOO_DEEP = N_("Document trop imbriqué pour être lu.")
UNREADABLE = N_("Le fichier n'a pas pu être lu.")
PDF_PARTIAL = N_("Extraction partielle : certaines pages sont illisibles.")
PDF_CIPHER_UNSUPPORTED = N_("PDF chiffré : ce chiffrement n'est pas pris en charge.")
PDF_NO_TEXT = N_("Aucun texte trouvé : le PDF est peut-être une image numérisée.")


def too_long_reason(max_chars: int) -> str:
    return N_("Texte trop long : seuls les {count} premiers caractères sont conservés.").format(
        count=_number(max_chars))


# Decided by the parent process.
UNSUPPORTED_FORMAT = N_("Format sans texte extractible.")
EMPTY_FILE = N_("Le fichier est vide.")
NOT_FOUND = N_("Fichier introuvable.")
OUT_OF_MEMORY = N_("Mémoire insuffisante pour extraire ce fichier.")
CPU_EXCEEDED = N_("Temps de calcul dépassé pour extraire ce fichier.")
OUTPUT_OVERFLOW = N_("Sortie d'extraction anormalement volumineuse.")
CRASHED = N_("L'extraction s'est arrêtée brutalement.")


def timeout_reason(seconds: float) -> str:
    return N_("Délai d'extraction dépassé ({seconds} s).").format(seconds=_number(seconds))


def input_too_large_reason(max_bytes: int) -> str:
    size = (f"{_number(max_bytes / 1024**2)} Mo" if max_bytes >= 1024**2
            else f"{_number(max_bytes / 1024)} Ko")
    return N_("Fichier trop volumineux pour en extraire le texte (plus de {size}).").format(
        size=size)


def _number(value: float) -> str:
    """60.0 -> '60', 1.5 -> '1,5', 5000000 -> '5 000 000' (no-break spaces)."""
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")
