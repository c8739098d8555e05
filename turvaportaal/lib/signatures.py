"""Digitally signed containers: ASiC-E (.asice) and BDOC 2.1 (.bdoc), the ZIP archives in which
Estonian councils and ministries sign documents with XAdES signatures.

One check for every upload of a signed document (a partnership agreement and its amendments, a
council's decision). It checks the container's structure (the ``mimetype`` entry first, stored
and of the ASiC-E type; the manifest), each signature's integrity (the SignatureValue over the
SignedInfo with the signer's own certificate, the digest of the SignedProperties, the digest of
that certificate) and that the signed files are exactly the container's files (every
Reference's digest matches its file; no file unsigned and none missing). Built on
`cryptography` (certificates, signature values) and `lxml` (XML canonicalisation); the README
says why not pyasice.

It identifies the signers (name, personal code, signing time). Of trust it checks only, when
SIGNATURE_TRUSTED_CA_FILE is set, that a signer's certificate was issued by one of those
authorities; the certificate's revocation (OCSP) and the time-stamp (TSA) need the issuers'
services on the network and are not checked (see the README).
"""

import base64
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import unquote

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from lxml import etree

from turvaportaal.lib.uploads import validate_size

CONTAINER_EXTENSIONS = (".asice", ".bdoc")
MIMETYPE = "application/vnd.etsi.asic-e+zip"
META_DIR = "META-INF/"
SIGNATURE_FILE = re.compile(r"^META-INF/[^/]*signatures[^/]*\.xml$")
# A container unpacked in memory: caps against an archive that inflates without end.
MAX_ENTRIES = 200
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
NS = {
    "asic": "http://uri.etsi.org/02918/v1.2.1#",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xades": "http://uri.etsi.org/01903/v1.3.2#",
}
DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
# SignatureMethod: the hash of the signature, by the algorithm's URI (RSA or ECDSA).
SIGNATURE_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": hashes.SHA512,
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": hashes.SHA512,
}
# Canonicalisation methods (XML-DSig): exclusive or inclusive, with comments or without.
C14N = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": (True, True),
    # C14N 1.1 (DigiDoc's default) differs from 1.0 only in how xml:id and xml:base are
    # inherited, attributes a XAdES signature does not use: lxml's 1.0 gives the same bytes.
    "http://www.w3.org/2006/12/xml-c14n11": (False, False),
    "http://www.w3.org/2006/12/xml-c14n11#WithComments": (False, True),
}
# The Type of the Reference to the SignedProperties (BDOC 2.1 and XAdES name it differently).
SIGNED_PROPERTIES_TYPES = (
    "http://uri.etsi.org/01903#SignedProperties",
    "http://uri.etsi.org/01903/v1.1.1#SignedProperties",
)
# The subject's serialNumber of an Estonian (ETSI EN 319 412-1) certificate: PNOEE-38001085718.
SEMANTIC_ID = re.compile(r"^(?:PNO|IDC|PAS)([A-Z]{2}):?-(.+)$")


@dataclass(frozen=True)
class Signer:
    """Who signed, as the signer's certificate names them, and when, as the signature says."""

    name: str
    personal_code: str
    country: str
    signed_at: datetime | None
    issuer: str

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "personal_code": self.personal_code,
            "country": self.country,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "issuer": self.issuer,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Signer":
        signed_at = data.get("signed_at")
        return cls(
            name=str(data.get("name", "")),
            personal_code=str(data.get("personal_code", "")),
            country=str(data.get("country", "")),
            signed_at=datetime.fromisoformat(signed_at) if signed_at else None,
            issuer=str(data.get("issuer", "")),
        )


@dataclass(frozen=True)
class SignedContainer:
    files: tuple[str, ...]
    signers: tuple[Signer, ...]

    def signers_json(self) -> list[dict[str, Any]]:
        return [signer.as_json() for signer in self.signers]


def signers_of(stored: list[dict[str, Any]] | None) -> list[Signer]:
    """The signers a model keeps in a JSON field, back as Signers."""
    return [Signer.from_json(item) for item in stored or []]


def is_signed_container(uploaded: UploadedFile) -> bool:
    """Whether the file is named as a signed container (.asice or .bdoc)."""
    return PurePath(uploaded.name or "").suffix.lower() in CONTAINER_EXTENSIONS


def validate_signed_container(uploaded: UploadedFile) -> SignedContainer:
    """An uploaded .asice or .bdoc: within the size limit, named so, and a container whose
    signatures hold; its signers. Refused with the reason otherwise."""
    validate_size(uploaded)
    if not is_signed_container(uploaded):
        raise ValidationError(_("Only a digitally signed container (.asice or .bdoc) is accepted."))
    uploaded.seek(0)
    content = uploaded.read()
    uploaded.seek(0)
    return verify_container(content)


def verify_container(content: bytes) -> SignedContainer:
    """Check a signed container's structure, signatures and signed files; its signers."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ValidationError(
            _("The file is not a signed container: it is not a ZIP archive (ASiC-E or BDOC).")
        ) from error
    with archive:
        entries = _read_entries(archive)
        first = archive.infolist()[0]
    _check_structure(entries, first)
    data_files = {
        name: data
        for name, data in entries.items()
        if name != "mimetype" and not name.startswith(META_DIR)
    }
    signature_files = sorted(name for name in entries if SIGNATURE_FILE.match(name))
    if not signature_files:
        raise ValidationError(_("The container has no signatures: it was not signed."))
    signers = [_verify_signature(name, entries[name], data_files) for name in signature_files]
    if not data_files:
        raise ValidationError(_("The container holds no signed document."))
    if _manifest_files(entries["META-INF/manifest.xml"]) != set(data_files):
        raise ValidationError(_("The container's manifest does not list the files it holds."))
    return SignedContainer(files=tuple(sorted(data_files)), signers=tuple(signers))


def _read_entries(archive: zipfile.ZipFile) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ValidationError(_("The container holds too many files or too much data."))
    entries: dict[str, bytes] = {}
    try:
        for info in infos:
            if info.is_dir():
                continue
            entries[info.filename] = archive.read(info)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
    ) as error:
        raise ValidationError(_("The container is damaged and cannot be read.")) from error
    except RuntimeError as error:  # an encrypted entry
        raise ValidationError(_("The container is encrypted and cannot be read.")) from error
    if not entries:
        raise ValidationError(_("The container is empty."))
    return entries


def _check_structure(entries: dict[str, bytes], first: zipfile.ZipInfo) -> None:
    """The mimetype first, stored and of the ASiC-E type, and a manifest."""
    mimetype = entries.get("mimetype")
    if mimetype is None or first.filename != "mimetype":
        raise ValidationError(
            _(
                "The ZIP archive is not a signed container: its first file must be "
                "“mimetype” (ASiC-E or BDOC)."
            )
        )
    if mimetype.strip() != MIMETYPE.encode():
        raise ValidationError(
            _("The container's type is not ASiC-E or BDOC: its mimetype is “%(found)s”.")
            % {"found": mimetype.decode("utf-8", "replace")[:80]}
        )
    if first.compress_type != zipfile.ZIP_STORED:
        raise ValidationError(
            _("The container's “mimetype” file is compressed; it must be stored as it is.")
        )
    if "META-INF/manifest.xml" not in entries:
        raise ValidationError(_("The container has no manifest (META-INF/manifest.xml)."))


def _parse(xml: bytes) -> Any:
    """XML from the upload: no entities resolved, no network, no DTD."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=False
    )
    return etree.fromstring(xml, parser=parser)


def _manifest_files(xml: bytes) -> set[str] | None:
    try:
        manifest = _parse(xml)
    except etree.XMLSyntaxError:
        return None
    paths = {
        entry.get(f"{{{NS['manifest']}}}full-path")
        for entry in manifest.findall("manifest:file-entry", NS)
    }
    return {path for path in paths if path and path != "/"}


def _c14n(node: Any, method: str | None) -> bytes:
    exclusive, comments = C14N.get(method or "", (False, False))
    return bytes(etree.tostring(node, method="c14n", exclusive=exclusive, with_comments=comments))


def _verify_signature(file_name: str, xml: bytes, data_files: dict[str, bytes]) -> Signer:
    unreadable = ValidationError(_("The signature %(file)s cannot be read.") % {"file": file_name})
    try:
        root = _parse(xml)
    except etree.XMLSyntaxError as error:
        raise unreadable from error
    signature = root.find("ds:Signature", NS)
    if signature is None:
        raise unreadable
    signed_info = signature.find("ds:SignedInfo", NS)
    value = signature.find("ds:SignatureValue", NS)
    certificate_node = signature.find("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS)
    if signed_info is None or value is None or certificate_node is None:
        raise unreadable
    try:
        der = base64.b64decode("".join((certificate_node.text or "").split()))
        certificate = x509.load_der_x509_certificate(der)
        signature_value = base64.b64decode("".join((value.text or "").split()))
    except ValueError as error:
        raise unreadable from error
    _check_references(file_name, signed_info, data_files)
    _check_signed_properties(file_name, signature, signed_info)
    _check_signing_certificate(file_name, signature, der)
    _check_signature_value(file_name, signed_info, signature_value, certificate)
    signer = _signer(certificate, signature)
    authorities = trusted_authorities()
    if authorities is not None and not _issued_by_one_of(certificate, authorities):
        raise ValidationError(
            _(
                "The certificate of %(name)s was not issued by a certification authority "
                "the portal trusts."
            )
            % {"name": signer.name}
        )
    if signer.signed_at is not None and not (
        certificate.not_valid_before_utc <= signer.signed_at <= certificate.not_valid_after_utc
    ):
        raise ValidationError(
            _("The certificate of %(name)s was not valid at the signing time.")
            % {"name": signer.name}
        )
    return signer


def trusted_authorities() -> list[x509.Certificate] | None:
    """The certificates of SIGNATURE_TRUSTED_CA_FILE; None when it is not set (any issuer)."""
    path = settings.SIGNATURE_TRUSTED_CA_FILE
    if not path:
        return None
    return _authorities(path, Path(path).stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _authorities(path: str, modified: int) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(Path(path).read_bytes())


def _issued_by_one_of(certificate: x509.Certificate, authorities: list[x509.Certificate]) -> bool:
    """Whether one of the authorities signed the certificate (its name and its key)."""
    for authority in authorities:
        if authority.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(authority)
        except (InvalidSignature, ValueError, TypeError):
            continue
        return True
    return False


def _check_signature_value(
    file_name: str, signed_info: Any, value: bytes, certificate: x509.Certificate
) -> None:
    """The SignatureValue is the signer's key's signature over the canonical SignedInfo."""
    method = signed_info.find("ds:SignatureMethod", NS)
    algorithm = SIGNATURE_HASHES.get(method.get("Algorithm", "") if method is not None else "")
    if algorithm is None:
        raise ValidationError(
            _("The signature %(file)s uses a method the portal does not know.")
            % {"file": file_name}
        )
    c14n = signed_info.find("ds:CanonicalizationMethod", NS)
    signed = _c14n(signed_info, c14n.get("Algorithm") if c14n is not None else None)
    key = certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(value, signed, padding.PKCS1v15(), algorithm())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            # XML-DSig writes an ECDSA signature as r and s side by side, not as DER.
            half = len(value) // 2
            der = encode_dss_signature(
                int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
            )
            key.verify(der, signed, ec.ECDSA(algorithm()))
        else:
            raise InvalidSignature
    except (InvalidSignature, ValueError) as error:
        raise ValidationError(
            _(
                "The signature %(file)s does not match what was signed: the signature or the "
                "signed information was altered."
            )
            % {"file": file_name}
        ) from error


def _check_signed_properties(file_name: str, signature: Any, signed_info: Any) -> None:
    """The SignedProperties (signing time, certificate) are those the SignedInfo signed."""
    changed = ValidationError(
        _("The signed properties of %(file)s were changed after signing.") % {"file": file_name}
    )
    properties = signature.find("ds:Object/xades:QualifyingProperties/xades:SignedProperties", NS)
    references = [
        reference
        for reference in signed_info.findall("ds:Reference", NS)
        if reference.get("Type") in SIGNED_PROPERTIES_TYPES
    ]
    if properties is None or len(references) != 1:
        raise changed
    reference = references[0]
    if (reference.get("URI") or "") != f"#{properties.get('Id')}":
        raise changed
    transform = reference.find("ds:Transforms/ds:Transform", NS)
    canonical = _c14n(properties, transform.get("Algorithm") if transform is not None else None)
    if not _digest_matches(reference, canonical):
        raise changed


def _digest_matches(reference: Any, data: bytes) -> bool:
    method = reference.find("ds:DigestMethod", NS)
    value = reference.find("ds:DigestValue", NS)
    algorithm = DIGESTS.get(method.get("Algorithm", "") if method is not None else "")
    if algorithm is None or value is None or not value.text:
        return False
    try:
        expected = base64.b64decode("".join(value.text.split()))
    except ValueError:
        return False
    return hashlib.new(algorithm, data).digest() == expected


def _check_references(file_name: str, signed_info: Any, data_files: dict[str, bytes]) -> None:
    """Every file of the container signed by this signature, each unchanged, none missing."""
    signed: set[str] = set()
    for reference in signed_info.findall("ds:Reference", NS):
        if reference.get("Type") in SIGNED_PROPERTIES_TYPES:
            continue
        name = unquote(reference.get("URI") or "")
        if name not in data_files:
            raise ValidationError(
                _("The signed file “%(name)s” is missing from the container.") % {"name": name}
            )
        if not _digest_matches(reference, data_files[name]):
            raise ValidationError(
                _("The file “%(name)s” has been changed since it was signed.") % {"name": name}
            )
        signed.add(name)
    unsigned = sorted(set(data_files) - signed)
    if unsigned:
        raise ValidationError(
            _("The file “%(name)s” is in the container but was not signed.") % {"name": unsigned[0]}
        )


def _check_signing_certificate(file_name: str, signature: Any, der: bytes) -> None:
    """The certificate in the signature is the one its signed properties name."""
    digest = signature.find(".//xades:SigningCertificate/xades:Cert/xades:CertDigest", NS)
    if digest is None:
        digest = signature.find(".//xades:SigningCertificateV2/xades:Cert/xades:CertDigest", NS)
    if digest is None or not _digest_matches(digest, der):
        raise ValidationError(
            _("The certificate in %(file)s is not the one that signed it.") % {"file": file_name}
        )


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    value = values[0].value if values else ""
    return value.decode() if isinstance(value, bytes) else str(value)


def _signer(certificate: x509.Certificate, signature: Any) -> Signer:
    subject = certificate.subject
    given, surname = _attribute(subject, NameOID.GIVEN_NAME), _attribute(subject, NameOID.SURNAME)
    common_name = _attribute(subject, NameOID.COMMON_NAME)
    name = f"{given} {surname}".strip() if given or surname else common_name
    serial = _attribute(subject, NameOID.SERIAL_NUMBER)
    country = _attribute(subject, NameOID.COUNTRY_NAME)
    found = SEMANTIC_ID.match(serial)
    if found:
        country, code = found.group(1), found.group(2)
    else:
        code = serial
    return Signer(
        name=name,
        personal_code=code,
        country=country,
        signed_at=_signing_time(signature),
        issuer=_attribute(certificate.issuer, NameOID.COMMON_NAME),
    )


def _signing_time(signature: Any) -> datetime | None:
    node = signature.find(
        "ds:Object/xades:QualifyingProperties/xades:SignedProperties/"
        "xades:SignedSignatureProperties/xades:SigningTime",
        NS,
    )
    text = node.text if node is not None else None
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
