// Which picture URLs a Skype contact list may name (issue 12 §3): https on Skype's hosts, or the
// configured service origins; never an arbitrary address.

import { describe, expect, it } from 'vitest'
import { allowedPictureUrl } from '../../../../../src/main/networks/skype/avatars'

const real = { apiUrl: 'https://api.skype.com', contactsUrl: 'https://contacts.skype.com' }
const local = { apiUrl: 'http://127.0.0.1:4000', contactsUrl: 'http://127.0.0.1:4000' }

describe('allowedPictureUrl', () => {
  it('takes https on Skype hosts and the configured service origin', () => {
    expect(allowedPictureUrl(real, 'https://avatar.skype.com/v1/avatars/bob.smith/public?returnDefaultImage=false')).toBe(true)
    expect(allowedPictureUrl(real, 'https://api.skype.com/users/bob.smith/profile/avatar')).toBe(true)
    expect(allowedPictureUrl(local, 'http://127.0.0.1:4000/avatars/bob.smith/1.png')).toBe(true)
  })

  it('refuses other hosts, plain http to Skype, credentials in the URL and non-URLs', () => {
    for (const bad of [
      'http://avatar.skype.com/v1/avatars/bob',
      'https://evil.example/a.png',
      'https://skype.com.evil.example/a.png',
      'http://127.0.0.1:4001/a.png',
      'https://user:pw@avatar.skype.com/a',
      'file:///etc/passwd',
      'not a url'
    ])
      expect(allowedPictureUrl(real, bad)).toBe(false)
    expect(allowedPictureUrl(local, 'http://127.0.0.1:4001/avatars/bob.smith/1.png')).toBe(false)
  })
})
