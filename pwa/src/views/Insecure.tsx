// The page shown instead of the app when it is opened without a secure context (see secure.ts).
import type { Explanation } from "../secure";

export function Insecure({ explanation }: { explanation: Explanation }) {
  return (
    <main class="insecure" role="alert">
      {(["en", "zh"] as const).map((l) => (
        <section key={l} lang={l === "zh" ? "zh-CN" : "en"}>
          <h1>{explanation[l].title}</h1>
          <p>{explanation[l].body}</p>
          <p>{explanation[l].fix}</p>
        </section>
      ))}
    </main>
  );
}
