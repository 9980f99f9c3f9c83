// Entry point: render the app, register the service worker, expose test/diagnostic hooks.
import { render } from "preact";
import "./app.css";
import { App } from "./App";
import { installDebugHooks } from "./debug";
import { saveTyped } from "./records";
import { sealedStorage } from "./seal";
import { insecureExplanation } from "./secure";
import { registerServiceWorker } from "./swclient";
import { flushOnHide, setupTyping } from "./typing";
import { Insecure } from "./views/Insecure";

let journal: ReturnType<typeof sealedStorage> | null = null;
try {
  journal = sealedStorage(localStorage); // sealed like the records (issue 21)
} catch {
  /* storage unavailable: typed values are still saved 400 ms after the last keystroke */
}
setupTyping(journal, saveTyped);
flushOnHide(window, document);

const insecure = insecureExplanation(window);
if (insecure) {
  render(<Insecure explanation={insecure} />, document.getElementById("app")!);
} else {
  render(<App />, document.getElementById("app")!);
  registerServiceWorker();
  installDebugHooks();
}
