// The case screens in the desk (#/desk/cases/<tab>): complaints, accidents, the risk-based plan, campaigns,
// enforcement and occupational disease cases, under one entry of the desk's navigation so its header stays on one line.
import { d } from "../strings";
import { Accidents } from "./Accidents";
import { Campaigns } from "./Campaigns";
import { Complaints } from "./Complaints";
import { Desk } from "./deskapi";
import { Diseases } from "./Diseases";
import { Enforcement } from "./Enforcement";
import { EnforcementLists } from "./EnforcementLists";
import { Plan } from "./Plan";

const TABS = ["complaints", "accidents", "plan", "campaigns", "enforcement", "measures", "violations", "diseases"] as const;

export function Cases({ tab, token }: { tab: string | undefined; token: string }) {
  const current = TABS.find((t) => t === tab) ?? "complaints";
  const desk = new Desk(token);
  return (
    <div class="stack">
      <nav aria-label={d("nav.cases")} class="row">
        {TABS.map((name) => (
          <a
            key={name}
            class={`btn${current === name ? " primary" : ""}`}
            href={`#/desk/cases/${name}`}
            data-testid={`desk-${name}`}
            aria-current={current === name ? "page" : undefined}
          >
            {d(`nav.${name}`)}
          </a>
        ))}
      </nav>
      {current === "accidents" ? (
        <Accidents desk={desk} />
      ) : current === "plan" ? (
        <Plan desk={desk} />
      ) : current === "campaigns" ? (
        <Campaigns desk={desk} />
      ) : current === "enforcement" ? (
        <Enforcement desk={desk} />
      ) : current === "measures" || current === "violations" ? (
        <EnforcementLists key={current} kind={current} />
      ) : current === "diseases" ? (
        <Diseases desk={desk} />
      ) : (
        <Complaints desk={desk} />
      )}
    </div>
  );
}
