// Loadbearing dashboard: reads the inlined data, filters it by team and period, draws the charts.
// Untrusted text (names, titles, descriptions) only ever reaches the page through textContent.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('lb-data').textContent);
  const specs = JSON.parse(document.getElementById('lb-specs').textContent);
  const people = new Map(data.people.map((p) => [p.key, p]));
  const categories = new Map(data.categories.map((c, i) => [c.id, Object.assign({ rank: i }, c)]));
  const state = { view: 'organization', team: '', person: '', from: '', to: '' };
  let generation = 0; // a newer render makes older, still pending embeds irrelevant
  let pending = 0;

  const $ = (selector) => document.querySelector(selector);

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function label(key) {
    const person = people.get(key);
    return person ? person.label : key || '—';
  }

  function monthOf(row) {
    return String(row.week || row.month || row.occurred_at || '').slice(0, 7);
  }

  function inPeriod(row) {
    const month = monthOf(row);
    return !month || (month >= state.from && month <= state.to);
  }

  function inTeam(row) {
    return !state.team || row.team === state.team;
  }

  function decorate(row) {
    const category = categories.get(row.category);
    return Object.assign({}, row, {
      person_label: label(row.person || row.reviewer),
      author_label: row.author ? label(row.author) : undefined,
      category_label: category ? category.label : row.category,
      category_rank: category ? category.rank : 99,
    });
  }

  function rows(name, keep) {
    return data[name].filter((row) => inTeam(row) && inPeriod(row) && (!keep || keep(row))).map(decorate);
  }

  function months() {
    const found = new Set();
    for (const name of ['allocation', 'concentration', 'team_share']) {
      for (const row of data[name]) found.add(monthOf(row));
    }
    found.delete('');
    return Array.from(found).sort();
  }

  function fillSelect(select, options, chosen) {
    select.textContent = '';
    for (const [value, text] of options) {
      const option = element('option', text);
      option.value = value;
      if (value === chosen) option.selected = true;
      select.appendChild(option);
    }
  }

  // --- charts ---------------------------------------------------------------------------

  function draw(container, datasets) {
    const name = container.dataset.chart;
    container.textContent = '';
    container.removeAttribute('data-drawn');
    if (Object.values(datasets).every((values) => values.length === 0)) {
      container.appendChild(element('p', 'No data for this selection.', 'empty'));
      container.dataset.drawn = 'empty';
      return;
    }
    const spec = structuredClone(specs[name]);
    spec.datasets = datasets;
    const mine = generation;
    pending += 1;
    vegaEmbed(container, spec, {
      ast: true, // expressions as syntax trees, run by the interpreter: no eval under the page's policy
      expr: vega.expressionInterpreter,
      actions: false,
      renderer: 'svg',
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    })
      .then(() => {
        if (mine === generation) container.dataset.drawn = 'chart';
      })
      .catch((error) => {
        console.error('chart ' + name + ': ' + error + '\n' + (error && error.stack));
        container.appendChild(element('p', 'This chart could not be drawn.', 'empty'));
      })
      .finally(() => {
        pending -= 1;
        if (pending === 0) document.body.dataset.ready = 'true';
      });
  }

  function chart(name) {
    return document.querySelector('[data-chart="' + name + '"]');
  }

  // --- tables ---------------------------------------------------------------------------

  function table(headers, body) {
    const node = element('table');
    const head = node.createTHead().insertRow();
    for (const header of headers) head.appendChild(element('th', header));
    const tbody = node.createTBody();
    for (const cells of body) {
      const tr = tbody.insertRow();
      for (const cell of cells) tr.appendChild(cell instanceof Node ? cell : element('td', cell));
    }
    return node;
  }

  function numberCell(value, format) {
    if (value === null || value === undefined) return element('td', '—', 'num');
    return element('td', format ? format(value) : value, 'num');
  }

  const percent = (value) => Math.round(value * 100) + ' %';

  function link(url, text) {
    // only web links: a javascript: or data: URL from a source system never becomes a link
    if (!/^https?:\/\//i.test(url || '')) return element('span', text);
    const anchor = element('a', text);
    anchor.href = url;
    anchor.rel = 'noopener noreferrer';
    anchor.target = '_blank';
    return anchor;
  }

  function trapTable() {
    const holder = $('#trap-table');
    holder.textContent = '';
    const flagged = data.trap.filter(inTeam);
    if (!flagged.length) {
      holder.appendChild(element('p', 'Nobody in this selection shows the signal.', 'note'));
      return;
    }
    holder.appendChild(table(
      ['Person', 'Team', 'Weeks in a row', 'From', 'To', 'Average non-promotable share', 'Average promotable share',
        'Own target'],
      flagged.map((row) => [label(row.person), row.team, numberCell(row.weeks), row.first_week, row.last_week,
        numberCell(row.non_promotable_share, percent), numberCell(row.promotable_share, percent),
        numberCell(row.target, percent)]),
    ));
  }

  const ROTATION_SHOWN = 3; // suggestions per team and category

  function rotationTable() {
    const holder = $('#rotation-table');
    holder.textContent = '';
    // per team and category, the latest concentrated month in the period
    const latest = new Map();
    for (const row of rows('rotation')) {
      const cell = row.team + '|' + row.category;
      if (!latest.has(cell) || latest.get(cell) < row.month) latest.set(cell, row.month);
    }
    const shown = rows('rotation', (row) => latest.get(row.team + '|' + row.category) === row.month &&
      row.rank <= ROTATION_SHOWN);
    shown.sort((a, b) => (a.team < b.team ? -1 : a.team > b.team ? 1 : 0) || a.category_rank - b.category_rank ||
      a.rank - b.rank);
    if (!shown.length) {
      holder.appendChild(element('p', 'No concentrated hidden work in this selection that someone else has done too.', 'note'));
      return;
    }
    holder.appendChild(table(
      ['Team', 'Work', 'Month', 'Carried by', 'Rank', 'Could take over', 'Why'],
      shown.map((row) => [row.team, row.category_label, String(row.month).slice(0, 7),
        (row.top_person || '—') + ' (' + percent(row.top_person_share) + ')', numberCell(row.rank),
        row.person_label, row.reason]),
    ));
  }

  function groupTable() {
    const holder = $('#group-table');
    holder.textContent = '';
    if (!data.groups.length) {
      holder.appendChild(element('p', 'No group comparison: the roster carries no self-reported group attributes.', 'note'));
      return;
    }
    holder.appendChild(table(
      ['Attribute', 'Group', 'People', 'Non-promotable share'],
      data.groups.map((row) => {
        if (row.is_suppressed) {
          const why = 'suppressed (a group has fewer than ' + row.min_people_per_group + ' people)';
          const cell = element('td', why, 'suppressed');
          cell.colSpan = 2;
          return [row.attribute, row.group_value, cell];
        }
        return [row.attribute, row.group_value, numberCell(row.people), numberCell(row.non_promotable_share, percent)];
      }),
    ));
  }

  function evidenceTable() {
    const holder = $('#evidence-table');
    holder.textContent = '';
    if (data.meta.privacy !== 'named') {
      holder.appendChild(element('p', 'Evidence items are shown in named mode only; a person gets their own packet.', 'note'));
      return;
    }
    const items = data.evidence.filter((item) => item.person === state.person && inPeriod(item));
    if (!items.length) {
      holder.appendChild(element('p', 'No evidence items in this period.', 'note'));
      return;
    }
    holder.appendChild(table(
      ['Date', 'Category', 'What', 'Recorded by', 'Link'],
      items.map((item) => {
        const source = element('td');
        source.appendChild(link(item.url, 'source'));
        // a default guess is never shown as if the item had said what it was
        const category = decorate(item).category_label + (item.guessed ? ' (guessed)' : '');
        return [String(item.occurred_at).slice(0, 10), category, item.description, recordedBy(item), source];
      }),
    ));
  }

  function recordedBy(item) {
    // a self-report is the person's own word, never shown as if a tool had recorded it
    const who = item.self_reported ? 'self-reported' : 'a tool';
    const endorsed = item.endorsements
      ? ', endorsed by ' + item.endorsements + (item.endorsements === 1 ? ' colleague' : ' colleagues')
      : '';
    return who + endorsed;
  }

  // --- views ----------------------------------------------------------------------------

  function renderOrganization() {
    draw(chart('org_share'), { team_share: rows('team_share') });
    const hidden = (row) => (categories.get(row.category) || {}).kind === 'hidden';
    draw(chart('org_top_share'), { concentration: rows('concentration', hidden) });
    draw(chart('org_half'), { concentration: rows('concentration', hidden) });
    rotationTable();
    trapTable();
    groupTable();
  }

  function renderTeam() {
    const chosen = Boolean(state.team);
    $('#team-hint').hidden = chosen;
    for (const name of ['team_allocation', 'team_reviews', 'team_incidents', 'team_onboarding', 'team_meetings']) {
      chart(name).hidden = !chosen;
    }
    if (!chosen) return;
    draw(chart('team_allocation'), { allocation: rows('allocation') });
    draw(chart('team_reviews'), { reviews: rows('reviews') });
    draw(chart('team_incidents'), { incidents: rows('incidents') });
    draw(chart('team_onboarding'), { onboarding: rows('onboarding') });
    draw(chart('team_meetings'), { meetings: rows('meetings') });
  }

  function renderPerson() {
    const mine = rows('allocation', (row) => row.person === state.person);
    let promotable = 0;
    let attributed = 0;
    for (const row of mine) {
      const kind = (categories.get(row.category) || {}).kind;
      if (kind === 'promotable') promotable += row.hours;
      if (kind === 'promotable' || kind === 'hidden') attributed += row.hours;
    }
    const person = people.get(state.person) || {};
    const seeking = person.seeks_promotion !== false;
    const target = person.target === null || person.target === undefined ? data.meta.target : person.target;
    const goal = seeking
      ? '(' + (person.personal_target ? 'own target ' : 'target ') + percent(target) + ')'
      : '(not seeking promotion: a record of value, no target)';
    $('#person-summary').textContent = attributed
      ? label(state.person) + ': promotable share ' + percent(promotable / attributed) + ' of ' +
        Math.round(attributed) + ' attributed hours in the period ' + goal + '.'
      : label(state.person) + ': no attributed work in the period ' + goal + '.';
    const reported = rows('self_reports', (row) => row.person === state.person);
    const entries = reported.reduce((sum, row) => sum + row.entries, 0);
    $('#person-self-reports').textContent = entries
      ? 'Self-reported in the period: ' + entries + (entries === 1 ? ' entry, ' : ' entries, ') +
        Math.round(reported.reduce((sum, row) => sum + row.hours, 0)) +
        ' h, written by the person (not recorded by a tool) and counted in the shares above.'
      : '';
    draw(chart('person_split'), { person_allocation: mine, target: mine.length && seeking ? [{ target: target }] : [] });
    evidenceTable();
  }

  function render() {
    generation += 1;
    document.body.dataset.ready = 'false';
    for (const panel of document.querySelectorAll('[data-view-panel]')) {
      panel.hidden = panel.dataset.viewPanel !== state.view;
    }
    for (const button of document.querySelectorAll('nav button')) {
      button.setAttribute('aria-pressed', String(button.dataset.view === state.view));
    }
    $('#person-filter').hidden = state.view !== 'person';
    ({ organization: renderOrganization, team: renderTeam, person: renderPerson })[state.view]();
    if (pending === 0) document.body.dataset.ready = 'true';
  }

  function fillPeople() {
    const choices = data.people.filter((p) => !state.team || p.team === state.team);
    if (!choices.some((p) => p.key === state.person)) state.person = choices.length ? choices[0].key : '';
    fillSelect($('#filter-person'), choices.map((p) => [p.key, p.label + (state.team ? '' : ' (' + p.team + ')')]), state.person);
  }

  function start() {
    const all = months();
    state.from = all[0] || '';
    state.to = all[all.length - 1] || '';
    fillSelect($('#filter-team'), [['', 'All teams']].concat(data.teams.map((t) => [t, t])), '');
    fillSelect($('#filter-from'), all.map((m) => [m, m]), state.from);
    fillSelect($('#filter-to'), all.map((m) => [m, m]), state.to);
    fillPeople();
    $('#filter-team').addEventListener('change', (event) => {
      state.team = event.target.value;
      fillPeople();
      render();
    });
    $('#filter-from').addEventListener('change', (event) => {
      state.from = event.target.value;
      if (state.to < state.from) { state.to = state.from; $('#filter-to').value = state.to; }
      render();
    });
    $('#filter-to').addEventListener('change', (event) => {
      state.to = event.target.value;
      if (state.from > state.to) { state.from = state.to; $('#filter-from').value = state.from; }
      render();
    });
    $('#filter-person').addEventListener('change', (event) => {
      state.person = event.target.value;
      render();
    });
    $('#filters').addEventListener('submit', (event) => event.preventDefault());
    for (const button of document.querySelectorAll('nav button')) {
      button.addEventListener('click', () => {
        state.view = button.dataset.view;
        render();
      });
    }
    render();
  }

  start();
})();
