// LINE picture tokens (spec §6.7): `picturePath`, else `pictureStatus`, as a plain path that
// can go into `<profileUrl><path>/preview` and nothing else.

import { describe, expect, it } from 'vitest'
import { pictureToken } from '../../../../../src/main/networks/line/avatars'

describe('pictureToken', () => {
  it('takes picturePath first, then pictureStatus, with one leading slash', () => {
    expect(pictureToken({ picturePath: '/0hAbC-12_x', pictureStatus: '0hOld' })).toBe('/0hAbC-12_x')
    expect(pictureToken({ picturePath: '', pictureStatus: '0hOld' })).toBe('/0hOld')
    expect(pictureToken({ picturePath: '//0hTwo' })).toBe('/0hTwo')
    expect(pictureToken({ picturePath: '/os/p/u123' })).toBe('/os/p/u123')
  })

  it('is empty without a picture, and for anything that is not a plain path', () => {
    expect(pictureToken({})).toBe('')
    expect(pictureToken({ picturePath: null, pictureStatus: null })).toBe('')
    for (const bad of ['/../../etc/passwd', '/a/./b', 'https://evil.example/x', '/a?x=1', '/a#b', '/a b', '/a%2e%2e', `/${'a'.repeat(300)}`])
      expect(pictureToken({ picturePath: bad })).toBe('')
  })
})
