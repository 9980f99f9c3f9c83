// Shown after the lost-tablet wipe (wipe.ts): in both languages at once (the language setting went with the
// data), with how many unsent changes were removed, and the way to sign in again.
import catalogue from "../strings.json";

export function Wiped({ unsent, onSignIn }: { unsent: number; onSignIn: () => void }) {
  return (
    <main class="insecure wiped" role="alert" data-testid="wiped">
      {(["en", "zh"] as const).map((l) => (
        <section key={l} lang={l === "zh" ? "zh-CN" : "en"}>
          <h1>{catalogue["wiped.title"][l]}</h1>
          <p>{catalogue["wiped.body"][l]}</p>
          {unsent > 0 ? <p>{catalogue["wiped.unsent"][l].replace("{n}", String(unsent))}</p> : null}
        </section>
      ))}
      <button class="btn primary" type="button" onClick={onSignIn} data-testid="wiped-signin">
        <span lang="en">{catalogue["wiped.signin"].en}</span> / <span lang="zh-CN">{catalogue["wiped.signin"].zh}</span>
      </button>
    </main>
  );
}
