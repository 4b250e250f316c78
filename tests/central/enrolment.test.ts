import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeviceInfo, EnrollResponse, ErrorBody } from '../../src/shared/sync/protocol'
import { call, enroll, startCentral, type TestCentral } from './helpers'

let central: TestCentral

beforeAll(async () => {
  central = await startCentral()
})
afterAll(async () => {
  await central.close()
})

describe('enrolment', () => {
  it('exchanges a code once for a token that opens the device and its schools', async () => {
    const { code } = await central.store.createEnrollmentCode()
    const first = await call(central, 'POST', '/v1/devices', { body: { enrollmentCode: code, deviceName: 'Poste 1' } })
    expect(first.status).toBe(201)
    const enrolled = EnrollResponse.parse(first.body)
    expect(enrolled.schools.map((s) => s.id).sort()).toEqual((await central.store.schools()).map((s) => s.id).sort())

    const me = await call(central, 'GET', '/v1/device', { token: enrolled.token })
    expect(me.status).toBe(200)
    expect(DeviceInfo.parse(me.body)).toMatchObject({ deviceId: enrolled.deviceId, deviceName: 'Poste 1', protocolVersion: 1 })

    // Single use: the same code again is refused.
    const again = await call(central, 'POST', '/v1/devices', { body: { enrollmentCode: code, deviceName: 'Poste 2' } })
    expect(again.status).toBe(403)
    expect(ErrorBody.parse(again.body).error.code).toBe('enrollment_code_invalid')
  })

  it('refuses an unknown or expired code, and a request without the fields', async () => {
    const unknown = await call(central, 'POST', '/v1/devices', { body: { enrollmentCode: 'ZZZZ-ZZZZ', deviceName: 'x' } })
    expect([unknown.status, ErrorBody.parse(unknown.body).error.code]).toEqual([403, 'enrollment_code_invalid'])

    const { code } = await central.store.createEnrollmentCode({ ttlMs: 60_000 })
    central.clock.advance(61_000)
    const expired = await call(central, 'POST', '/v1/devices', { body: { enrollmentCode: code, deviceName: 'x' } })
    expect(expired.status).toBe(403)

    const bad = await call(central, 'POST', '/v1/devices', { body: { deviceName: 'x' } })
    expect(bad.status).toBe(400)
    expect(ErrorBody.parse(bad.body).error).toMatchObject({ code: 'bad_request', issues: [{ path: ['enrollmentCode'] }] })
    const notJson = await call(central, 'POST', '/v1/devices', { raw: '{nope' })
    expect([notJson.status, ErrorBody.parse(notJson.body).error.code]).toEqual([400, 'bad_request'])
  })

  it('answers 401 without a token, with an unknown one, and once the device is revoked', async () => {
    const { token, deviceId } = await enroll(central)
    const path = `/v1/schools/${central.schoolId}/changes?after=0&limit=1`
    expect((await call(central, 'GET', path, { token })).status).toBe(200)
    for (const t of [undefined, 'cen_not-a-token']) {
      const reply = await call(central, 'GET', path, { token: t })
      expect(reply.status).toBe(401)
      expect(ErrorBody.parse(reply.body).error.code).toBe('unauthorized')
    }

    // Revoked by the board's admin, over the admin route.
    const revoke = await call(central, 'POST', `/admin/devices/${deviceId}/revoke`, { token: central.server.adminKey })
    expect(revoke.status).toBe(200)
    expect((await call(central, 'GET', path, { token })).status).toBe(401)
    expect((await call(central, 'POST', `/v1/schools/${central.schoolId}/mutations`, { token, body: { mutations: [] } })).status).toBe(401)
    expect((await call(central, 'GET', '/v1/device', { token })).status).toBe(401)
  })

  it('gives a device only the schools of its code', async () => {
    const { token, schools } = await enroll(central, [central.otherSchoolId])
    expect(schools.map((s) => s.id)).toEqual([central.otherSchoolId])
    const mine = await call(central, 'GET', `/v1/schools/${central.otherSchoolId}/changes`, { token })
    expect(mine.status).toBe(200)
    const other = await call(central, 'GET', `/v1/schools/${central.schoolId}/changes`, { token })
    expect([other.status, ErrorBody.parse(other.body).error.code]).toEqual([403, 'forbidden_school'])
    const unknown = await call(central, 'GET', '/v1/schools/no-such-school/changes', { token })
    expect(unknown.status).toBe(403)
  })

  it('makes codes over the admin route only with the admin key', async () => {
    expect((await call(central, 'POST', '/admin/enrollment-codes', { body: {} })).status).toBe(401)
    expect((await call(central, 'POST', '/admin/enrollment-codes', { token: 'wrong', body: {} })).status).toBe(401)
    const made = await call<{ code: string; schoolIds: string[] }>(central, 'POST', '/admin/enrollment-codes', { token: central.server.adminKey, body: { schoolIds: [central.schoolId] } })
    expect(made.status).toBe(201)
    expect(made.body.schoolIds).toEqual([central.schoolId])
    const used = await call(central, 'POST', '/v1/devices', { body: { enrollmentCode: made.body.code.toLowerCase(), deviceName: 'Poste 3' } })
    expect(used.status).toBe(201)
  })

  it('answers unknown routes and methods with codes', async () => {
    const nowhere = await call(central, 'GET', '/v2/nothing')
    expect([nowhere.status, ErrorBody.parse(nowhere.body).error.code]).toEqual([404, 'not_found'])
    const wrongMethod = await call(central, 'DELETE', '/v1/devices')
    expect([wrongMethod.status, ErrorBody.parse(wrongMethod.body).error.code]).toEqual([405, 'method_not_allowed'])
    expect(wrongMethod.headers.get('allow')).toBe('POST')
  })
})
