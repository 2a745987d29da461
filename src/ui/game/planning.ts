/**
 * The three planning phases of a round: collect (signals and consent), segment (rules over
 * observed attributes, live sizes and estimated report cards) and serve (campaigns to segments).
 */
import { currentDecisions } from '../../store/game';
import type { Assignment, SegmentSpec } from '../../sim';
import { fill, h } from '../dom';
import type { Panel, PanelContext } from './context';

const SENSITIVITY = ['sensitivity0', 'sensitivity1', 'sensitivity2', 'sensitivity3'] as const;

/** A short note when the pack fixes an area this round. */
function closedNote(ctx: PanelContext, open: boolean): HTMLElement | null {
  return open ? null : h('p', { class: 'note' }, ctx.t('game.closedArea'));
}

export function collectPanel(ctx: PanelContext): Panel {
  const { t, names, fmt } = ctx;
  const game = ctx.game();
  const sc = game.scenario;
  const round = sc.rounds[game.results.length]!;
  const d = currentDecisions(game);
  const offered = new Set(round.signals ?? sc.signals.map((s) => s.id));
  const coverageCells = new Map<string, HTMLElement>();

  const signalRows = sc.signals
    .filter((s) => offered.has(s.id) || d.signals.includes(s.id))
    .map((s) => {
      const id = `signal-${s.id}`;
      const box = h('input', { type: 'checkbox', id, checked: d.signals.includes(s.id), disabled: !round.open.signals });
      box.addEventListener('change', () => {
        const now = new Set(currentDecisions(ctx.game()).signals);
        if (box.checked) now.add(s.id);
        else now.delete(s.id);
        ctx.store.getState().setDraft({ signals: sc.signals.map((x) => x.id).filter((x) => now.has(x)) });
      });
      const reveals = s.reveals.map((r) => `${names.trait(r.trait)} ${fmt.pct(r.accuracy)}`).join(', ');
      const gated = s.gatedOn.length ? t('game.gatedOn', { os: s.gatedOn.map((o) => t(`os.${o}` as never)).join(', ') }) : '';
      const coverage = h('span', { class: 'figure' });
      coverageCells.set(s.id, coverage);
      return h(
        'div',
        { class: `choice signal signal--s${s.sensitivity}` },
        box,
        h(
          'label',
          { for: id },
          h('strong', {}, names.signal(s.id)),
          h('span', { class: 'help' }, `${t('game.reveals', { list: reveals })}`),
          h('span', { class: 'help' }, [t('game.costPerThousand', { cost: fmt.cents(s.costPerThousand) }), t(`game.${SENSITIVITY[s.sensitivity] ?? 'sensitivity3'}`), t(`legal.${s.legalBasis}` as never), gated].filter(Boolean).join(' · ')),
        ),
        coverage,
      );
    });

  const consentRows = sc.consentDesigns.map((design) => {
    const id = `consent-${design.id}`;
    const radio = h('input', { type: 'radio', name: 'consent', id, value: design.id, checked: d.consent === design.id, disabled: !round.open.consent });
    radio.addEventListener('change', () => {
      if (radio.checked) ctx.store.getState().setDraft({ consent: design.id });
    });
    const help = names.description('consent', design.id);
    return h('div', { class: 'choice' }, radio, h('label', { for: id }, h('strong', {}, names.consent(design.id)), help ? h('span', { class: 'help' }, help) : null));
  });

  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const element = h(
    'div',
    { class: 'phase phase--collect' },
    h('p', { class: 'lead' }, t('game.collectIntro')),
    h('fieldset', {}, h('legend', {}, t('game.signals')), closedNote(ctx, round.open.signals), ...signalRows),
    h('fieldset', {}, h('legend', {}, t('game.consentDesign')), closedNote(ctx, round.open.consent), ...consentRows),
    summary,
  );
  const update: Panel['update'] = (g) => {
    const p = g.preview;
    for (const [signal, cell] of coverageCells) {
      const covered = p?.coverage.find((x) => x.signal === signal)?.covered;
      cell.textContent = covered === undefined ? '' : t('game.covers', { count: covered, n: fmt.int(covered) });
    }
    summary.textContent = p ? t('game.collectSummary', { cost: fmt.money(p.expectedDataCost), targetable: fmt.int(p.targetable) }) : '';
  };
  update(game);
  return { element, update };
}

/* ---- segments ---- */

function segmentEditor(ctx: PanelContext, seg: SegmentSpec, index: number, editable: boolean, observable: string[], onChange: (s: SegmentSpec | null) => void): HTMLElement {
  const { t, names } = ctx;
  const sc = ctx.game().scenario;
  const nameId = `segment-${index}-name`;
  const nameInput = h('input', { id: nameId, type: 'text', value: seg.name ?? seg.id, maxlength: 60, disabled: !editable });
  nameInput.addEventListener('change', () => onChange({ ...seg, name: nameInput.value.trim() || seg.id }));
  const clauses = seg.rule.any.map((clause, ci) => {
    const conditions = clause.all.map((cond, qi) => {
      const traitId = `segment-${index}-c${ci}-q${qi}-trait`;
      const select = h('select', { id: traitId, disabled: !editable }, ...sc.population.traits.map((tr) => h('option', { value: tr.id, selected: tr.id === cond.trait }, `${names.trait(tr.id)}${observable.includes(tr.id) ? '' : ` (${t('game.notObserved')})`}`)));
      select.addEventListener('change', () => {
        const trait = sc.population.traits.find((x) => x.id === select.value)!;
        const all = clause.all.map((c, k) => (k === qi ? { trait: trait.id, in: [trait.values[0]!.id] } : c));
        onChange({ ...seg, rule: { any: seg.rule.any.map((c, k) => (k === ci ? { all } : c)) } });
      });
      const trait = sc.population.traits.find((x) => x.id === cond.trait);
      const values = (trait?.values ?? []).map((v) => {
        const vid = `${traitId}-${v.id}`;
        const box = h('input', { type: 'checkbox', id: vid, checked: cond.in.includes(v.id), disabled: !editable });
        box.addEventListener('change', () => {
          const chosen = new Set(cond.in);
          if (box.checked) chosen.add(v.id);
          else chosen.delete(v.id);
          if (chosen.size === 0) return void (box.checked = true);
          const all = clause.all.map((c, k) => (k === qi ? { trait: c.trait, in: trait!.values.map((x) => x.id).filter((x) => chosen.has(x)) } : c));
          onChange({ ...seg, rule: { any: seg.rule.any.map((c, k) => (k === ci ? { all } : c)) } });
        });
        return h('span', { class: 'value' }, box, h('label', { for: vid }, names.value(cond.trait, v.id)));
      });
      const remove = h('button', { type: 'button', class: 'button button--quiet button--small', disabled: !editable || (clause.all.length === 1 && seg.rule.any.length === 1) }, t('game.removeCondition'));
      remove.addEventListener('click', () => {
        const all = clause.all.filter((_, k) => k !== qi);
        const any = all.length ? seg.rule.any.map((c, k) => (k === ci ? { all } : c)) : seg.rule.any.filter((_, k) => k !== ci);
        onChange({ ...seg, rule: { any } });
      });
      return h(
        'div',
        { class: 'condition', role: 'group', 'aria-label': t('game.conditionLabel', { n: qi + 1 }) },
        qi > 0 ? h('span', { class: 'joiner' }, t('game.and')) : null,
        h('label', { for: traitId }, t('game.attribute')),
        select,
        h('span', { class: 'values', role: 'group', 'aria-label': t('game.valuesOf', { trait: names.trait(cond.trait) }) }, ...values),
        remove,
      );
    });
    const addAnd = h('button', { type: 'button', class: 'button button--small', disabled: !editable }, t('game.addAnd'));
    addAnd.addEventListener('click', () => {
      const trait = sc.population.traits.find((x) => observable.includes(x.id)) ?? sc.population.traits[0]!;
      const all = [...clause.all, { trait: trait.id, in: [trait.values[0]!.id] }];
      onChange({ ...seg, rule: { any: seg.rule.any.map((c, k) => (k === ci ? { all } : c)) } });
    });
    return h('div', { class: 'clause' }, ci > 0 ? h('p', { class: 'joiner' }, t('game.or')) : null, ...conditions, addAnd);
  });
  const addOr = h('button', { type: 'button', class: 'button button--small', disabled: !editable }, t('game.addOr'));
  addOr.addEventListener('click', () => {
    const trait = sc.population.traits.find((x) => observable.includes(x.id)) ?? sc.population.traits[0]!;
    onChange({ ...seg, rule: { any: [...seg.rule.any, { all: [{ trait: trait.id, in: [trait.values[0]!.id] }] }] } });
  });
  const remove = h('button', { type: 'button', class: 'button button--quiet', disabled: !editable }, t('game.removeSegment', { name: seg.name ?? seg.id }));
  remove.addEventListener('click', () => onChange(null));
  return h(
    'fieldset',
    { class: 'segment', 'data-segment': seg.id },
    h('legend', {}, t('game.segmentN', { n: index + 1 })),
    h('div', { class: 'field' }, h('label', { for: nameId }, t('game.segmentName')), nameInput),
    ...clauses,
    h('p', { class: 'actions' }, addOr, remove),
    h('div', { class: 'segment-live', 'data-live': seg.id }),
  );
}

export function segmentPanel(ctx: PanelContext, rerender: () => void): Panel {
  const { t, fmt } = ctx;
  const game = ctx.game();
  const sc = game.scenario;
  const round = sc.rounds[game.results.length]!;
  const d = currentDecisions(game);
  const observable = [...new Set(sc.signals.filter((s) => d.signals.includes(s.id)).flatMap((s) => s.reveals.map((r) => r.trait)))];
  const setSegments = (segments: SegmentSpec[]) => {
    // Assignments to a removed segment go with it.
    const ids = new Set(segments.map((s) => s.id));
    const assignments = currentDecisions(ctx.game()).assignments.filter((a) => a.segment === 'everyone' || ids.has(a.segment));
    ctx.store.getState().setDraft({ segments, ...(round.open.campaigns ? { assignments } : {}) });
    rerender();
  };
  const editors = d.segments.map((seg, k) =>
    segmentEditor(ctx, seg, k, round.open.segments, observable, (changed) => {
      const all = currentDecisions(ctx.game()).segments;
      setSegments(changed ? all.map((s, j) => (j === k ? changed : s)) : all.filter((_, j) => j !== k));
    }),
  );
  const add = h('button', { type: 'button', class: 'button button--primary', disabled: !round.open.segments || d.segments.length >= sc.maxSegments }, t('game.addSegment'));
  add.addEventListener('click', () => {
    const all = currentDecisions(ctx.game()).segments;
    const trait = sc.population.traits.find((x) => observable.includes(x.id)) ?? sc.population.traits[0]!;
    let n = all.length + 1;
    while (all.some((s) => s.id === `segment_${n}`)) n++;
    setSegments([...all, { id: `segment_${n}`, name: t('game.newSegmentName', { n }), rule: { any: [{ all: [{ trait: trait.id, in: [trait.values[0]!.id] }] }] } }]);
  });
  const element = h(
    'div',
    { class: 'phase phase--segment' },
    h('p', { class: 'lead' }, t('game.segmentIntro')),
    closedNote(ctx, round.open.segments),
    observable.length === 0 ? h('p', { class: 'note' }, t('game.nothingObserved')) : null,
    ...editors,
    h('p', {}, add),
  );
  const update: Panel['update'] = (g) => {
    for (const live of element.querySelectorAll<HTMLElement>('[data-live]')) {
      const id = live.dataset.live!;
      const members = g.preview?.segments.find((s) => s.id === id)?.members;
      const card = g.preview?.estimatedCards.find((c) => c.segment === id);
      if (members === undefined || !card) {
        fill(live, h('p', { class: 'help' }, t('game.noPreview')));
        continue;
      }
      fill(
        live,
        h('p', { class: 'figure' }, t('game.members', { count: members, n: fmt.int(members) })),
        h(
          'ul',
          { class: 'card-mini', 'aria-label': t('game.estimatedCard') },
          ...(['substantial', 'homogeneous', 'heterogeneous', 'operational'] as const).map((k) => h('li', { class: `grade grade--${card[k].grade}` }, `${gradeMark(card[k].grade)} ${t(`criterion.${k}`)}: ${t(`grade.${card[k].grade}`)}`)),
        ),
      );
    }
  };
  update(game);
  return { element, update };
}

export function gradeMark(grade: 'pass' | 'partial' | 'fail'): string {
  return grade === 'pass' ? '✓' : grade === 'partial' ? '~' : '✗';
}

/* ---- serve ---- */

export function servePanel(ctx: PanelContext): Panel {
  const { t, names, fmt } = ctx;
  const game = ctx.game();
  const sc = game.scenario;
  const round = sc.rounds[game.results.length]!;
  const d = currentDecisions(game);
  const listeners = game.saved.listeners;
  const offered = sc.campaigns.filter((c) => !round.campaigns || round.campaigns.includes(c.id));
  const segOptions = [{ id: '', label: t('game.notServed') }, { id: 'everyone', label: t('game.everyone') }, ...d.segments.map((s) => ({ id: s.id, label: s.name ?? s.id }))];
  const write = (campaign: string, change: Partial<Assignment> | null) => {
    const now = currentDecisions(ctx.game()).assignments;
    const others = now.filter((a) => a.campaign !== campaign);
    const mine = now.find((a) => a.campaign === campaign);
    const demand = Math.floor((sc.campaigns.find((c) => c.id === campaign)!.demandPerThousand * listeners) / 1000);
    const next = change === null ? null : { campaign, segment: 'everyone', budget: Math.min(demand, Math.floor(demand / 2)), cap: 3, ...mine, ...change };
    ctx.store.getState().setDraft({ assignments: next ? [...others, next] : others });
  };
  const rows = offered.map((c) => {
    const mine = d.assignments.find((a) => a.campaign === c.id);
    const demand = Math.floor((c.demandPerThousand * listeners) / 1000);
    const base = `serve-${c.id}`;
    const segSelect = h('select', { id: `${base}-segment`, disabled: !round.open.campaigns }, ...segOptions.map((o) => h('option', { value: o.id, selected: (mine?.segment ?? '') === o.id }, o.label)));
    const budget = h('input', { id: `${base}-budget`, type: 'number', min: 0, max: demand, step: 100, value: mine?.budget ?? Math.floor(demand / 2), disabled: !round.open.campaigns || !mine });
    const cap = h('input', { id: `${base}-cap`, type: 'number', min: 1, max: sc.market.adSlotsPerListener, step: 1, value: mine?.cap ?? 3, disabled: !round.open.campaigns || !mine });
    segSelect.addEventListener('change', () => {
      write(c.id, segSelect.value ? { segment: segSelect.value } : null);
      budget.disabled = cap.disabled = !segSelect.value;
    });
    const clamp = (input: HTMLInputElement, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(Number(input.value) || 0)));
    budget.addEventListener('change', () => {
      budget.value = String(clamp(budget, 0, demand));
      write(c.id, { budget: Number(budget.value) });
    });
    cap.addEventListener('change', () => {
      cap.value = String(clamp(cap, 1, sc.market.adSlotsPerListener));
      write(c.id, { cap: Number(cap.value) });
    });
    const harmTags = [...new Set(c.harms.map((x) => x.tag))];
    return h(
      'fieldset',
      { class: 'campaign', 'data-campaign': c.id },
      h('legend', {}, names.campaign(c.id)),
      names.description('campaign', c.id) ? h('p', { class: 'help' }, names.description('campaign', c.id)!) : null,
      h('p', { class: 'help' }, t('game.price', { cpm: fmt.money(c.cpm), fee: fmt.money(c.feePerConversion), demand: fmt.int(demand) })),
      harmTags.length ? h('p', { class: 'warning' }, t('game.harmTags', { list: harmTags.map((x) => t(`harm.${x}`)).join('; ') })) : null,
      h(
        'div',
        { class: 'serve-fields' },
        h('span', { class: 'field' }, h('label', { for: `${base}-segment` }, t('game.audience')), segSelect),
        h('span', { class: 'field' }, h('label', { for: `${base}-budget` }, t('game.budget')), budget),
        h('span', { class: 'field' }, h('label', { for: `${base}-cap` }, t('game.cap')), cap),
      ),
      h('p', { class: 'figure', 'data-expect': c.id }),
    );
  });
  const element = h('div', { class: 'phase phase--serve' }, h('p', { class: 'lead' }, t('game.serveIntro')), closedNote(ctx, round.open.campaigns), ...rows);
  const update: Panel['update'] = (g) => {
    const dd = currentDecisions(g);
    for (const cell of element.querySelectorAll<HTMLElement>('[data-expect]')) {
      const a = dd.assignments.find((x) => x.campaign === cell.dataset.expect);
      if (!a) {
        cell.textContent = '';
        continue;
      }
      const members = a.segment === 'everyone' ? (g.preview?.targetable ?? 0) : (g.preview?.segments.find((s) => s.id === a.segment)?.members ?? 0);
      const reach = Math.min(members, Math.floor(a.budget / Math.max(1, a.cap)));
      cell.textContent = t('game.expected', { reach: fmt.int(reach), impressions: fmt.int(Math.min(a.budget, members * a.cap)) });
    }
  };
  update(game);
  return { element, update };
}
