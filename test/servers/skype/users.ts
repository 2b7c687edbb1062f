// The people of the Skype reference server. Alice is the account a person (or a test)
// signs in as; the others are simulated contacts driven by the tests or the sandbox phone.

import type { SkypeWorld } from './world'

export const ALICE = { email: 'alice@hotmail.co.uk', password: 'junction-sandbox', skypeName: 'live:alice_1' } as const

export function addSandboxUsers(world: SkypeWorld): void {
  world.addUser({
    key: 'alice',
    email: ALICE.email,
    password: ALICE.password,
    skypeName: ALICE.skypeName,
    cid: '8b6f2a1c9d0e4f31',
    firstName: 'Alice',
    lastName: '',
    // Bob is in both books: ActiveSync (8:bob.smith, with his e-mail) and the SOAP book (1:bob@hotmail.com); one contact.
    skypeContacts: ['bob', 'carol'],
    abContacts: ['bob', 'dave'],
    blocked: ['mallory']
  })
  world.addUser({
    key: 'bob',
    email: 'bob@hotmail.com',
    password: 'bob-pass',
    skypeName: 'bob.smith',
    cid: '1f00d2c3b4a59687',
    firstName: 'Bob',
    lastName: 'Smith',
    skypeContacts: ['alice'],
    abContacts: [],
    blocked: [],
    simulated: true,
    mood: 'at work'
  })
  world.addUser({
    key: 'carol',
    email: 'carol@outlook.com',
    password: 'carol-pass',
    skypeName: 'carol.jones',
    cid: '2e11e3d4c5b6a798',
    firstName: 'Carol',
    lastName: 'Jones',
    skypeContacts: ['alice'],
    abContacts: [],
    blocked: [],
    simulated: true,
    status: 'AWY'
  })
  world.addUser({
    key: 'dave',
    email: 'dave@hotmail.com',
    password: 'dave-pass',
    skypeName: 'live:dave_7',
    cid: '3f22f4e5d6c7b8a9',
    firstName: 'Dave',
    lastName: 'Miller',
    skypeContacts: [],
    abContacts: ['alice'],
    blocked: [],
    simulated: true,
    status: 'FLN'
  })
  world.addUser({
    key: 'mallory',
    email: 'mallory@hotmail.com',
    password: 'mallory-pass',
    skypeName: 'mallory.spam',
    cid: '4a33a5f6e7d8c9b0',
    firstName: 'Mallory',
    lastName: 'Spam',
    skypeContacts: ['alice'],
    abContacts: [],
    blocked: [],
    simulated: true
  })
}
