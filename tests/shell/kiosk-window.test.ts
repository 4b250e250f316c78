import { describe, expect, it, vi } from 'vitest'
import { createKioskMode, isEscapeKey, kioskTransition, type KioskInput } from '../../src/main/kiosk-window'
import { FakeBrowserWindow } from './fake-electron'

const key = (k: string, mods: Partial<KioskInput> = {}): KioskInput => ({ type: 'keyDown', key: k, control: false, meta: false, alt: false, shift: false, ...mods })

describe('the kiosk window', () => {
  it('follows the kiosk session: started by kiosk.start, ended by kiosk.end, never by a failed call', () => {
    expect(kioskTransition({ method: 'kiosk.start' }, { ok: true, value: {} })).toBe('enter')
    expect(kioskTransition({ method: 'kiosk.end' }, { ok: true, value: { ended: true } })).toBe('leave')
    expect(kioskTransition({ method: 'kiosk.end' }, { ok: false, error: { code: 'KIOSK_PIN_WRONG', message: '' } })).toBeNull()
    expect(kioskTransition({ method: 'students.search' }, { ok: true, value: {} })).toBeNull()
  })

  it('takes the whole screen without menu, close button or developer tools, and gives them back', () => {
    const window = new FakeBrowserWindow({ webPreferences: {} })
    const mode = createKioskMode(window as never)
    mode.set(true)
    expect(window.setKiosk).toHaveBeenLastCalledWith(true)
    expect(window.setMenuBarVisibility).toHaveBeenLastCalledWith(false)
    expect(window.setClosable).toHaveBeenLastCalledWith(false)
    expect(window.webContents.closeDevTools).toHaveBeenCalled()
    window.webContents.emit('devtools-opened')
    expect(window.webContents.closeDevTools).toHaveBeenCalledTimes(2)
    mode.set(false)
    expect(window.setKiosk).toHaveBeenLastCalledWith(false)
    expect(window.setClosable).toHaveBeenLastCalledWith(true)
  })

  it('swallows the keys that would close, reload or inspect the window, only while in kiosk', () => {
    const window = new FakeBrowserWindow({ webPreferences: {} })
    const mode = createKioskMode(window as never)
    const press = (input: KioskInput) => {
      const event = { preventDefault: vi.fn() }
      window.webContents.emit('before-input-event', event, input)
      return event.preventDefault.mock.calls.length > 0
    }
    expect(press(key('w', { control: true }))).toBe(false)
    mode.set(true)
    for (const input of [key('w', { control: true }), key('q', { meta: true }), key('r', { control: true }), key('F5'), key('F11'), key('F12'), key('F4', { alt: true }), key('i', { control: true, shift: true })])
      expect(press(input), JSON.stringify(input)).toBe(true)
    for (const input of [key('a'), key('Tab'), key('Enter'), key('F4'), key('é', { shift: true })]) expect(press(input), JSON.stringify(input)).toBe(false)
    expect(isEscapeKey({ ...key('w', { control: true }), type: 'keyUp' })).toBe(false)
  })
})
