"""Real signed containers for the tests: a test CA, signer certificates it issues, and ASiC-E
containers with XAdES signatures (as DigiDoc writes them) made with the signers' private keys."""

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID
from lxml import etree

MIMETYPE = "application/vnd.etsi.asic-e+zip"
ASIC = "http://uri.etsi.org/02918/v1.2.1#"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"


@dataclass(frozen=True)
class TestSigner:
    given_name: str
    surname: str
    personal_code: str
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def _name(*attributes: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])


CA_NAME = _name((NameOID.COMMON_NAME, "TEST of ESTEID2018"), (NameOID.COUNTRY_NAME, "EE"))


def make_authority(
    name: x509.Name = CA_NAME,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A self-signed certification authority: its key and certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = datetime.now(UTC) - timedelta(days=3650)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=7300))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


_CA_KEY, CA_CERTIFICATE = make_authority()


def make_signer(
    given_name: str = "MARI",
    surname: str = "MÄNNIK",
    personal_code: str = "38001085718",
    *,
    elliptic: bool = False,
    valid_from: datetime | None = None,
) -> TestSigner:
    """A signer's certificate issued by the test CA, named as an Estonian ID card names one."""
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
        ec.generate_private_key(ec.SECP384R1())
        if elliptic
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    subject = _name(
        (NameOID.COMMON_NAME, f"{surname},{given_name},{personal_code}"),
        (NameOID.SERIAL_NUMBER, f"PNOEE-{personal_code}"),
        (NameOID.GIVEN_NAME, given_name),
        (NameOID.SURNAME, surname),
        (NameOID.COUNTRY_NAME, "EE"),
    )
    start = valid_from or datetime.now(UTC) - timedelta(days=365)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(CA_NAME)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=5 * 365))
        .sign(_CA_KEY, hashes.SHA256())
    )
    return TestSigner(given_name, surname, personal_code, key, certificate)


def _sign(signer: TestSigner, data: bytes) -> bytes:
    if isinstance(signer.key, rsa.RSAPrivateKey):
        return signer.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    r, s = decode_dss_signature(signer.key.sign(data, ec.ECDSA(hashes.SHA256())))
    size = (signer.key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")  # XML-DSig's r || s


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _el(parent: etree._Element, namespace: str, tag: str, text: str = "", **attrs: str):
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", attrs)
    if text:
        element.text = text
    return element


def _digest(parent: etree._Element, value: bytes, namespace: str = DS) -> None:
    _el(parent, DS, "DigestMethod", Algorithm=SHA256)
    _el(parent, DS, "DigestValue", _b64(hashlib.sha256(value).digest()))


def xades_signature(
    signer: TestSigner,
    files: dict[str, bytes],
    *,
    number: int = 0,
    signed_at: datetime | None = None,
) -> bytes:
    """A BDOC 2.1 / XAdES-B signature over the files, in its own signaturesN.xml document."""
    ident = f"S{number}"
    root = etree.Element(
        f"{{{ASIC}}}XAdESSignatures", nsmap={"asic": ASIC, "ds": DS, "xades": XADES}
    )
    signature = _el(root, DS, "Signature", Id=ident)
    signed_info = _el(signature, DS, "SignedInfo")
    _el(signed_info, DS, "CanonicalizationMethod", Algorithm=EXC_C14N)
    algorithm = "rsa-sha256" if isinstance(signer.key, rsa.RSAPrivateKey) else "ecdsa-sha256"
    _el(
        signed_info,
        DS,
        "SignatureMethod",
        Algorithm=f"http://www.w3.org/2001/04/xmldsig-more#{algorithm}",
    )
    for index, (name, data) in enumerate(files.items()):
        reference = _el(signed_info, DS, "Reference", Id=f"{ident}-ref-{index}", URI=name)
        _digest(reference, data)
    properties_reference = _el(
        signed_info,
        DS,
        "Reference",
        Id=f"{ident}-ref-sp",
        Type="http://uri.etsi.org/01903#SignedProperties",
        URI=f"#{ident}-SignedProperties",
    )
    _el(_el(properties_reference, DS, "Transforms"), DS, "Transform", Algorithm=EXC_C14N)
    value = _el(signature, DS, "SignatureValue", Id=f"{ident}-SIG")
    _el(_el(_el(signature, DS, "KeyInfo"), DS, "X509Data"), DS, "X509Certificate", _b64(signer.der))
    qualifying = _el(
        _el(signature, DS, "Object"), XADES, "QualifyingProperties", Target=f"#{ident}"
    )
    properties = _el(qualifying, XADES, "SignedProperties", Id=f"{ident}-SignedProperties")
    signature_properties = _el(properties, XADES, "SignedSignatureProperties")
    moment = (signed_at or datetime.now(UTC)).astimezone(UTC)
    _el(signature_properties, XADES, "SigningTime", moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    cert = _el(_el(signature_properties, XADES, "SigningCertificate"), XADES, "Cert")
    _digest(_el(cert, XADES, "CertDigest"), signer.der)
    issuer_serial = _el(cert, XADES, "IssuerSerial")
    _el(issuer_serial, DS, "X509IssuerName", signer.certificate.issuer.rfc4514_string())
    _el(issuer_serial, DS, "X509SerialNumber", str(signer.certificate.serial_number))
    data_properties = _el(properties, XADES, "SignedDataObjectProperties")
    for index in range(len(files)):
        form = _el(
            data_properties, XADES, "DataObjectFormat", ObjectReference=f"#{ident}-ref-{index}"
        )
        _el(form, XADES, "MimeType", "application/pdf")
    canonical = etree.tostring(properties, method="c14n", exclusive=True)
    _el(properties_reference, DS, "DigestMethod", Algorithm=SHA256)
    _el(properties_reference, DS, "DigestValue", _b64(hashlib.sha256(canonical).digest()))
    signed = etree.tostring(signed_info, method="c14n", exclusive=True)
    value.text = _b64(_sign(signer, signed))
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root)


def manifest(names: list[str]) -> bytes:
    root = etree.Element(f"{{{MANIFEST}}}manifest", nsmap={"manifest": MANIFEST})
    for path, media in [("/", MIMETYPE), *[(name, "application/pdf") for name in names]]:
        etree.SubElement(
            root,
            f"{{{MANIFEST}}}file-entry",
            {f"{{{MANIFEST}}}full-path": path, f"{{{MANIFEST}}}media-type": media},
        )
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root)


def signed_container(
    *signers: TestSigner, files: dict[str, bytes] | None = None, signed_at: datetime | None = None
) -> bytes:
    """An ASiC-E container of the files, signed by each signer."""
    files = files if files is not None else {"leping.pdf": b"%PDF-1.4 partnerlusleping"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", MIMETYPE, zipfile.ZIP_STORED)
        for name, data in files.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest(list(files)), zipfile.ZIP_DEFLATED)
        for number, signer in enumerate(signers):
            archive.writestr(
                f"META-INF/signatures{number}.xml",
                xades_signature(signer, files, number=number, signed_at=signed_at),
                zipfile.ZIP_DEFLATED,
            )
    return buffer.getvalue()


def entries(content: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def rebuilt(
    content: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    add: dict[str, bytes] | None = None,
) -> bytes:
    """The container again, with entries replaced, left out or added (nothing signed anew)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, data in entries(content):
            if info.filename in drop:
                continue
            archive.writestr(info, (replace or {}).get(info.filename, data))
        for name, data in (add or {}).items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def plain_zip(files: dict[str, bytes], *, compress_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, data) in enumerate(files.items()):
            method = zipfile.ZIP_DEFLATED if index or compress_first else zipfile.ZIP_STORED
            archive.writestr(name, data, method)
    return buffer.getvalue()
