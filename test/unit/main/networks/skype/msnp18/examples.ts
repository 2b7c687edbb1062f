// Byte strings copied from msnp18.md §9 (worked examples, verified against Escargot) and
// §1–§6; nothing here is computed. `\r\n` and `\n` are written out as in the spec.

export const BOB_GUID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0'
export const ALICE_GUID = 'f8b0a7c2-1d2e-4f3a-9b4c-5d6e7f8a9b0c'

export const E1 = {
  ver: 'VER 1 MSNP18 CVR0\r\n',
  verReply: 'VER 1 MSNP18\r\n',
  cvr: 'CVR 2 0x0409 winnt 6.1.0 i386 MSNMSGR 14.0.8117.0416 msmsgs bob@example.com\r\n',
  cvrReply: 'CVR 2 14.0.8117.0416 14.0.8117.0416 14.0.8117.0416 https://escargot.log1p.xyz https://escargot.log1p.xyz\r\n',
  usrI: 'USR 3 SSO I bob@example.com\r\n',
  usrS: 'USR 3 SSO S MBI_KEY_OLD lQalw6aeXMJdn2Pn+6CXjY2kln2EjhRiyuAKV61B++JGKhLYZhZiwrfAAY5GjNdC\r\n',
  ok: 'USR 4 OK bob@example.com 1 0\r\n',
  sbs: 'SBS 0 null\r\n',
  ubxEmpty: 'UBX 1:bob@example.com 0\r\n',
  blobPrefix: 'HAAAAAEAAAADZgAABIAAAAgAAAAUAAAASAAAA'
}

export const E2 = {
  blp: 'BLP 5 AL\r\n',
  adl: 'ADL 6 92\r\n<ml l="1"><d n="example.com"><c n="alice" l="3" t="1" /><c n="carol" l="3" t="1" /></d></ml>',
  adlOk: 'ADL 6 OK\r\n',
  uuxOk: 'UUX 8 0\r\n',
  mailData:
    'MSG Hotmail Hotmail 195\r\nMIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinitialmdatanotification; charset=UTF-8\r\n\r\nMail-Data: <MD><E><I>0</I><IU>0</IU><O>0</O><OU>0</OU></E><Q><QTM>409600</QTM><QNM>204800</QNM></Q></MD>\r\n',
  png: 'PNG\r\n',
  qng: 'QNG 60\r\n'
}

export const E3 = {
  nlnBob:
    'NLN NLN 1:bob@example.com Bob%20B. 2688340284:2550273040 %3Cmsnobj%20Creator%3D%22bob%40example.com%22%20Size%3D%221024%22%20Type%3D%223%22%20Location%3D%220%22%20Friendly%3D%22AAA%3D%22%20SHA1D%3D%22trC8SlFx2sWQxZMIBAWSEnXc8oQ%3D%22%20SHA1C%3D%222rf%2B9U3fgsFnDn7Ui3iqS6X%2FSgg%3D%22%2F%3E\r\n',
  ubxBob:
    'UBX 1:bob@example.com 336\r\n<Data><PSM>at work</PSM><CurrentMedia></CurrentMedia><MachineGuid>{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}</MachineGuid><DDP></DDP><SignatureSound></SignatureSound><Scene></Scene><ColorScheme>-1</ColorScheme><EndpointData id="{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}"><Capabilities>2688340284:2550273040</Capabilities></EndpointData></Data>',
  nlnAlice: 'NLN NLN 1:alice@example.com alice 2688340284:2550273040 0\r\n',
  nlnAwy: 'NLN AWY 1:bob@example.com Bob%20B. 2688340284:2550273040 0\r\n',
  fln: 'FLN 1:alice@example.com 0:0\r\n'
}

export const E4 = {
  xfr: 'XFR 9 SB\r\n',
  xfrReply: 'XFR 9 SB 127.0.0.1:1864 CKI c526877facd01ed07943 U messenger.msn.com 1\r\n',
  usr: 'USR 1 alice@example.com;{f8b0a7c2-1d2e-4f3a-9b4c-5d6e7f8a9b0c} c526877facd01ed07943\r\n',
  usrOk: 'USR 1 OK alice@example.com;{f8b0a7c2-1d2e-4f3a-9b4c-5d6e7f8a9b0c} alice\r\n',
  calBob: 'CAL 3 bob@example.com\r\n',
  ringing: 'CAL 3 RINGING 0bb459df7215f2aa8538dd217b24ce2\r\n',
  joiGuid: 'JOI bob@example.com;{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0} Bob%20B. 2688340284:2550273040\r\n',
  joi: 'JOI bob@example.com Bob%20B. 2688340284:2550273040\r\n',
  msg: 'MSG 4 A 126\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Segoe%20UI; EF=; CO=0; CS=1; PF=0\r\n\r\nHello Bob',
  ack: 'ACK 4\r\n'
}

export const E5 = {
  rng: 'RNG 0bb459df7215f2aa8538dd217b24ce2 127.0.0.1:1864 CKI 87585d6b3a3e83775830 alice@example.com alice U messenger.hotmail.com 1\r\n',
  ans: 'ANS 1 bob@example.com;{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0} 87585d6b3a3e83775830 0bb459df7215f2aa8538dd217b24ce2\r\n',
  iro1: 'IRO 1 1 2 alice@example.com;{f8b0a7c2-1d2e-4f3a-9b4c-5d6e7f8a9b0c} alice 2688340284:2550273040\r\n',
  iro2: 'IRO 1 2 2 alice@example.com alice 2688340284:2550273040\r\n',
  ansOk: 'ANS 1 OK\r\n',
  ownJoi: 'JOI bob@example.com Bob%20B. 2688340284:2550273040\r\n',
  msgIn:
    'MSG alice@example.com alice 126\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Segoe%20UI; EF=; CO=0; CS=1; PF=0\r\n\r\nHello Bob',
  msgOut: 'MSG 3 N 125\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Segoe%20UI; EF=; CO=0; CS=1; PF=0\r\n\r\nHi Alice'
}

export const E6 = {
  out: 'MSG 2 U 88\r\nMIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: bob@example.com\r\n\r\n\r\n',
  in: 'MSG bob@example.com Bob%20B. 88\r\nMIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: bob@example.com\r\n\r\n\r\n'
}

export const E7 = {
  out: 'MSG 7 N 69\r\nMIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: 1\r\n\r\n',
  in: 'MSG alice@example.com alice 69\r\nMIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: 1\r\n\r\n'
}

export const E8 = {
  out: 'OUT\r\n',
  byeGuid: 'BYE bob@example.com;{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}\r\n',
  bye: 'BYE bob@example.com\r\n'
}

export const E9 = { unknown: '217 8\r\n', noAt: '208 10\r\n', present: '215 12\r\n' }

export const E10 = {
  adl0: 'ADL 0 69\r\n<ml><d n="example.com"><c n="alice" t="1" l="8" f="alice" /></d></ml>',
  adl: 'ADL 12 58\r\n<ml><d n="example.com"><c n="dave" l="1" t="1" /></d></ml>',
  rml: 'RML 13 58\r\n<ml><d n="example.com"><c n="dave" l="1" t="1" /></d></ml>',
  rml0: 'RML 0 59\r\n<ml><d n="example.com"><c n="alice" t="1" l="8" /></d></ml>'
}

/** §3.10: blocking bob = RML of AL, ADL of BL. */
export const BLOCK = {
  rml: 'RML 15 57\r\n<ml><d n="example.com"><c n="bob" l="2" t="1" /></d></ml>',
  adl: 'ADL 16 57\r\n<ml><d n="example.com"><c n="bob" l="4" t="1" /></d></ml>'
}

/** §1.2: Escargot's echo of a friendly name with raw UTF-8. */
export const ENCODING = { sent: 'Carol%20C%C3%B6%2B%25', echoed: 'Carol%20Cö+%25', name: 'Carol Cö+%' }

/** §6.2: MSNP18 product id / key vectors. */
export const QRY_VECTORS = [
  { challenge: '22210219642164014968', answer: '6e92a312bf6b70ee58e75a1e3315695c' },
  { challenge: '1850937852', answer: '4d7903fe4e44d395e9bad3b0f98879a6' }
]

/** §2.5: the two BinarySecrets of the verified RST2 response. */
export const SECRETS = { tb: 'tgoPVK67sU36fQKlGLMgWgTXp7oiaQgE', messengerclear: 'GpLAJLAZTzTlgZ6K9qY3OEhbV2dLLEJn' }

/** §2.4 / §3.2: lengths of the verified requests for bob. */
export const LENGTHS = { rst2: 3763, findMembership: 2213, ticket: 1053 }
