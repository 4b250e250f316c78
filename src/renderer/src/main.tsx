import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { initTransport } from './rpc/transport'
import './styles/base.css'
import './styles/shell.css'
import './styles/students.css'
import './styles/reports.css'
import './styles/catalogue.css'
import './styles/outings.css'
import './styles/accounts.css'

// First: in browser mode the access key is taken out of the URL before the router reads it.
initTransport()

const root = document.getElementById('root')
if (!root) throw new Error('#root missing from index.html')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
