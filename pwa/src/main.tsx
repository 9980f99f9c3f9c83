// Entry point: render the app, register the service worker, expose test/diagnostic hooks.
import { render } from "preact";
import "./app.css";
import { App } from "./App";
import { installDebugHooks } from "./debug";
import { registerServiceWorker } from "./swclient";

render(<App />, document.getElementById("app")!);
registerServiceWorker();
installDebugHooks();
