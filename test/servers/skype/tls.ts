// A self-signed certificate for the reference server's MSNP24 TLS listener (CN=Junction Skype
// reference server (test only), SAN IP:127.0.0.1 and localhost, valid to 2126). Test material only:
// generated once with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes
// -days 36500 -addext subjectAltName=IP:127.0.0.1,DNS:localhost -addext basicConstraints=critical,CA:TRUE`.
// The Connector trusts it only through its `msnpCa` setting.

export const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIICBjCCAaygAwIBAgIUI0cug/bwCofq8h7yFzC521EOjg4wCgYIKoZIzj0EAwIw
NjE0MDIGA1UEAwwrSnVuY3Rpb24gU2t5cGUgcmVmZXJlbmNlIHNlcnZlciAodGVz
dCBvbmx5KTAgFw0yNjExMjIwNTA5MTVaGA8yMTI2MTAyOTA1MDkxNVowNjE0MDIG
A1UEAwwrSnVuY3Rpb24gU2t5cGUgcmVmZXJlbmNlIHNlcnZlciAodGVzdCBvbmx5
KTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABBEx+dpZ21zLSTFoPw38rrjsShlv
In4DO0H7KbaY/G4W+HmYxb9/Zkq4Q1bNWeYQ+9RqBkRx8CpPuJdN0N4yDVijgZUw
gZIwHQYDVR0OBBYEFIIDTlohiWe7wQ/BMQwzrWfJqNH/MB8GA1UdIwQYMBaAFIID
TlohiWe7wQ/BMQwzrWfJqNH/MBoGA1UdEQQTMBGHBH8AAAGCCWxvY2FsaG9zdDAP
BgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIChDATBgNVHSUEDDAKBggrBgEF
BQcDATAKBggqhkjOPQQDAgNIADBFAiEA9EyyTrNEQkFETgbSrpGJH9oa17U9vFeF
IAGdieYSmooCID81I3a1VwnB/rcwDHCttfmoqPaBXpVWHt5E2zPFrjuC
-----END CERTIFICATE-----
`

export const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWL5/up2DD2ObKgHe
YUHfjcRRjxM9WS3olN/rEiVoD3OhRANCAAQRMfnaWdtcy0kxaD8N/K647EoZbyJ+
AztB+ym2mPxuFvh5mMW/f2ZKuENWzVnmEPvUagZEcfAqT7iXTdDeMg1Y
-----END PRIVATE KEY-----
`
