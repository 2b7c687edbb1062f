// spec §4.1–§4.2: the ClientPayload of the third handshake message — a login (paired device)
// or a registration (no account yet: carries the keys the phone will sign).

import { createHash } from 'node:crypto'
import { encodeProto, type AppVersion, type ClientPayload } from '../proto'

const WEB = 14
const WIFI_UNKNOWN = 1
const USER_ACTIVATED = 1

function userAgent(version: AppVersion): NonNullable<ClientPayload['userAgent']> {
  return {
    platform: WEB,
    appVersion: version,
    mcc: '000',
    mnc: '000',
    osVersion: '0.1',
    device: 'Desktop',
    osBuildNumber: '0.1',
    releaseChannel: 0,
    localeLanguageIso6391: 'en',
    localeCountryIso31661Alpha2: 'US'
  }
}

function base(version: AppVersion): ClientPayload {
  return { userAgent: userAgent(version), webInfo: { webSubPlatform: 0 }, connectType: WIFI_UNKNOWN, connectReason: USER_ACTIVATED }
}

/** spec §4.1 login; `lidDbMigrated` true because Junction keys sessions by LID (spec §14.2). */
export function buildLoginPayload(version: AppVersion, user: string, device: number, options: { lidDbMigrated?: boolean } = {}): Uint8Array {
  const { userAgent: ua, webInfo, connectType, connectReason } = base(version)
  return encodeProto('ClientPayload', {
    username: Number(user),
    passive: true,
    userAgent: ua,
    webInfo,
    connectType,
    connectReason,
    device,
    pull: true,
    lidDbMigrated: options.lidDbMigrated ?? true
  })
}

export interface RegistrationKeys {
  registrationId: number
  identityPublic: Uint8Array
  signedPreKey: { id: number; public: Uint8Array; signature: Uint8Array }
}

function beBytes(n: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = length - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff
  return out
}

/** MD5 of "2.3000.N" (spec §4.2 buildHash). */
export function buildHash(version: AppVersion): Uint8Array {
  return new Uint8Array(createHash('md5').update(`${version.primary}.${version.secondary}.${version.tertiary}`).digest())
}

export function encodeDeviceProps(os: string, platformType: number): Uint8Array {
  return encodeProto('DeviceProps', {
    os,
    version: { primary: 0, secondary: 1, tertiary: 0 },
    platformType,
    requireFullSync: false,
    historySyncConfig: { storageQuotaMb: 10240, inlineInitialPayloadInE2EeMsg: true }
  })
}

/** spec §4.1 registration: the keys of DevicePairingRegistrationData. */
export function buildRegistrationPayload(version: AppVersion, keys: RegistrationKeys, deviceProps: Uint8Array): Uint8Array {
  const { userAgent: ua, webInfo, connectType, connectReason } = base(version)
  return encodeProto('ClientPayload', {
    passive: false,
    userAgent: ua,
    webInfo,
    connectType,
    connectReason,
    devicePairingData: {
      eRegid: beBytes(keys.registrationId, 4),
      eKeytype: Uint8Array.of(5),
      eIdent: keys.identityPublic,
      eSkeyId: beBytes(keys.signedPreKey.id, 3),
      eSkeyVal: keys.signedPreKey.public,
      eSkeySig: keys.signedPreKey.signature,
      buildHash: buildHash(version),
      deviceProps
    },
    pull: false
  })
}
