export { FAKE_CARDS, cardByNumber, cardByPaymentMethod, type FakeCard } from './cards'
export { parseForm, type FormObject, type FormValue } from './form'
export {
  FakeStripe,
  startFakeStripe,
  type Fault,
  type FaultKind,
  type FakePaymentIntent,
  type FakeReader,
  type FakeRefund,
  type RequestLog,
} from './server'
