export { FAKE_CARDS, cardByNumber, cardByPaymentMethod, type FakeCard } from './cards'
export { parseForm, type FormObject, type FormValue } from './form'
export {
  FakeStripe,
  fakeStripeFee,
  startFakeStripe,
  type FakeBalanceTransaction,
  type FakePayout,
  type Fault,
  type FaultKind,
  type FakePaymentIntent,
  type FakeReader,
  type FakeRefund,
  type RequestLog,
} from './server'
