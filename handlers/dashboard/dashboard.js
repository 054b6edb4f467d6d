// qunbot dashboard: reads the admin API with the session cookie and draws
// inline SVG. Every piece of data goes into the page through textContent or
// an attribute, never as markup.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

const SERIES = [
  { key: 'messages', label: '消息', cls: 's1' },
  { key: 'speakers', label: '发言人', cls: 's2' },
  { key: 'checkins', label: '签到', cls: 's3' },
];
const SEGMENTS = [
  ['high_value', '高价值'], ['potential', '潜在'], ['silent', '沉默'], ['churned', '流失'],
];
const SEGMENT_NAMES = Object.fromEntries(SEGMENTS);
// MEMBERS_SHOWN is how many members the table shows; the CSV has them all.
const MEMBERS_SHOWN = 200;
const ACTIONS = {
  warn: '警告', unwarn: '撤销警告', mute: '禁言', unmute: '解除禁言', remove: '移出',
  remove_requested: '申请移出', remove_decided: '移出已处理', denied: '越权尝试', shadow: '试运行',
};

// make builds an element; string children become text nodes.
function make(tag, attrs, ...children) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function fill(id, ...nodes) { $(id).replaceChildren(...nodes); }
function empty(text) { return make('p', { class: 'empty' }, text); }
function num(v) { return typeof v === 'number' && isFinite(v) ? v : 0; }
// percent accepts a fraction (0.35) or a percentage (35).
function percent(v) { const n = num(v); return n <= 1 ? n * 100 : n; }
function fmt(n) { return Number.isInteger(n) ? n.toLocaleString('zh-CN') : n.toFixed(1); }
function when(s) { return typeof s === 'string' ? s.slice(0, 16).replace('T', ' ') : '—'; }

// getJSON answers the parsed body, null for 404, and sends the browser back
// to the log-in form when the session is gone.
async function getJSON(path) {
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (res.status === 401) { location.assign('/dashboard/login'); throw new Error('未登录'); }
  if (res.status === 404) return null;
  if (!res.ok) throw new Error('HTTP ' + res.status);
  return res.json();
}

// dataTable is the accessible twin of a chart: the same numbers as a table,
// in a box that scrolls sideways on a narrow screen. The columns in keep
// (names, dates, numbers) never wrap.
function dataTable(caption, head, rows, keep = []) {
  const table = make('table', {}, make('caption', {}, caption),
    make('thead', {}, make('tr', {}, ...head.map((h) => make('th', { scope: 'col' }, h)))));
  table.append(make('tbody', {}, ...rows.map((r) => make('tr', {},
    ...r.map((v, i) => make('td', keep.includes(i) ? { class: 'nowrap' } : {}, v))))));
  return make('div', { class: 'scroll' }, table);
}

// chartWidth is the width a chart gets, so it is drawn at that size and its
// labels keep their size in pixels on a phone as on a desk.
function chartWidth(id) {
  return Math.max(280, Math.min(Math.round($(id).getBoundingClientRect().width) || 640, 1040));
}

// fitText cuts a label to about px pixels at 13px type (a CJK character is
// about 1em, other characters about 0.6em), ending it with … when cut; the
// full text stays in the chart's tooltip and data table.
function fitText(text, px) {
  let w = 0, out = '';
  for (const ch of String(text)) {
    w += /[\u2E80-\uFFEF]/.test(ch) ? 13 : 8;
    if (w > px) return out + '…';
    out += ch;
  }
  return out;
}

function details(summary, table) { return make('details', {}, make('summary', {}, summary), table); }

// niceMax rounds a chart's top up to 1, 2, 4 or 5 times a power of ten (at least 4), so the
// four grid lines fall on round numbers.
function niceMax(v) {
  v = Math.max(v, 4);
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  return [1, 2, 4, 5, 10].map((m) => m * p).find((n) => n >= v);
}

// lineChart draws one line per series over the days, with a y-axis scale.
function lineChart(days, series, label, W = 640) {
  const H = 240, L = 44, R = 24, T = 12, B = 28;
  const max = niceMax(Math.max(...series.flatMap((s) => days.map((d) => num(d[s.key])))));
  const x = (i) => L + (days.length < 2 ? (W - L - R) / 2 : (i * (W - L - R)) / (days.length - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const svg = make('svg:svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'line' });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    svg.append(make('svg:line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
      make('svg:text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
  }
  const step = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor((W - L - R) / 60))));
  days.forEach((d, i) => {
    if ((days.length - 1 - i) % step === 0) { // counted from the last day, which is always labelled
      svg.append(make('svg:text', { x: x(i), y: H - 8, 'text-anchor': 'middle' }, String(d.day).slice(5)));
    }
  });
  for (const s of series) {
    const pts = days.map((d, i) => `${x(i)},${y(num(d[s.key]))}`).join(' ');
    svg.append(make('svg:polyline', { points: pts, class: 'series ' + s.cls }));
    days.forEach((d, i) => svg.append(make('svg:circle', { cx: x(i), cy: y(num(d[s.key])), r: 3, class: s.cls },
      make('svg:title', {}, `${d.day} ${s.label}：${num(d[s.key])}`))));
  }
  const legend = make('ul', { class: 'legend' },
    ...series.map((s) => make('li', {}, make('span', { class: 'swatch ' + s.cls, 'aria-hidden': 'true' }), s.label)));
  return [legend, svg];
}

// barList draws labelled horizontal bars; items are {label, value, note}.
// Narrower than 480px, each label goes above its bar and has the full width.
function barList(items, label, W = 640) {
  const stacked = W < 480, row = stacked ? 44 : 28, L = stacked ? 0 : 150, R = 60;
  const max = Math.max(1, ...items.map((it) => it.value));
  const svg = make('svg:svg', { viewBox: `0 0 ${W} ${items.length * row + 4}`, role: 'img', 'aria-label': label, class: 'bars' });
  items.forEach((it, i) => {
    const y = i * row + 4, w = ((W - L - R) * it.value) / max, barY = stacked ? y + 22 : y;
    const text = stacked ? make('svg:text', { x: 0, y: y + 15 }, fitText(it.label, W))
      : make('svg:text', { x: L - 8, y: y + 17, 'text-anchor': 'end' }, fitText(it.label, L - 12));
    svg.append(text,
      make('svg:rect', { x: L, y: barY, width: Math.max(w, 1), height: stacked ? 16 : row - 8, rx: 3, class: it.cls || 's1' },
        make('svg:title', {}, `${it.label}：${fmt(it.value)}${it.note ? '（' + it.note + '）' : ''}`)),
      make('svg:text', { x: L + w + 6, y: barY + (stacked ? 13 : 17) }, fmt(it.value)));
  });
  return svg;
}

function renderTiles(st) {
  const tiles = [
    ['成员', fmt(num(st.members))], ['消息', fmt(num(st.messages))], ['发言人', fmt(num(st.speakers))],
    ['签到', fmt(num(st.checkins))], ['入群', fmt(num(st.joins))], ['退群', fmt(num(st.leaves))],
    ['人均日消息', num(st.messages_per_member_per_day).toFixed(2)], ['退群率', percent(st.quit_rate).toFixed(1) + '%'],
  ];
  fill('tiles', ...tiles.map(([k, v]) => make('div', { class: 'tile' }, make('span', { class: 'k' }, k), make('strong', {}, v))));
}

function renderActivity(st) {
  const days = Array.isArray(st.daily) ? st.daily : [];
  if (!days.length) return fill('activity-chart', empty('暂无统计'));
  const label = `近 ${num(st.days)} 天每日消息、发言人和签到`;
  fill('activity-chart', ...lineChart(days, SERIES, label, chartWidth('activity-chart')), details('查看数据表',
    dataTable(label, ['日期', '消息', '发言人', '签到', '入群', '退群'],
      days.map((d) => [d.day, num(d.messages), num(d.speakers), num(d.checkins), num(d.joins), num(d.leaves)]),
      [0, 1, 2, 3, 4, 5])));
}

function renderShare(st) {
  const share = typeof st.speaker_share === 'number' ? percent(st.speaker_share)
    : (num(st.members) ? (100 * num(st.speakers)) / num(st.members) : 0);
  const r = 52, c = 2 * Math.PI * r, label = `发言人占成员 ${share.toFixed(1)}%`;
  const svg = make('svg:svg', { viewBox: '0 0 140 140', role: 'img', 'aria-label': label, class: 'donut' },
    make('svg:circle', { cx: 70, cy: 70, r, class: 'track' }),
    make('svg:circle', { cx: 70, cy: 70, r, class: 'value', transform: 'rotate(-90 70 70)',
      'stroke-dasharray': `${(c * Math.min(share, 100)) / 100} ${c}` }),
    make('svg:text', { x: 70, y: 76, 'text-anchor': 'middle', class: 'big' }, share.toFixed(0) + '%'));
  fill('share-chart', svg, make('p', {}, `${fmt(num(st.speakers))} 人发言 / ${fmt(num(st.members))} 名成员`));
}

function renderSegments(st) {
  const seg = st.segments || {};
  const items = SEGMENTS.map(([k, label], i) => ({ label, value: num(seg[k]), cls: 's' + (i + 1) }));
  if (!items.some((it) => it.value)) return fill('segments-chart', empty('暂无统计'));
  fill('segments-chart', barList(items, '成员分层：' + items.map((it) => `${it.label} ${it.value}`).join('，'),
    chartWidth('segments-chart')));
}

function renderStats(st) {
  if (!st) {
    ['tiles', 'activity-chart', 'share-chart', 'segments-chart'].forEach((id) => fill(id, empty('暂无统计')));
    return;
  }
  renderTiles(st); renderActivity(st); renderShare(st); renderSegments(st);
}

function renderLeaderboard(lb) {
  const entries = (lb && lb.entries) || [];
  if (!entries.length) return fill('leaderboard-chart', empty('暂无排行'));
  const name = (e) => `${e.rank}. ${e.name || e.userid}`;
  fill('leaderboard-chart',
    barList(entries.map((e) => ({ label: name(e), value: num(e.points), note: e.title })), '积分排行',
      chartWidth('leaderboard-chart')),
    details('查看数据表', dataTable('积分排行', ['名次', '成员', '积分', '称号'],
      entries.map((e) => [e.rank, e.name || e.userid, num(e.points), e.title || '']), [0, 1, 2, 3])));
}

function renderModeration(log) {
  const entries = (log && log.entries) || [];
  if (!entries.length) {
    fill('moderation-chart', empty('暂无管理记录'));
    return fill('moderation-latest');
  }
  const counts = new Map();
  for (const e of entries) counts.set(e.action, (counts.get(e.action) || 0) + 1);
  const items = [...counts].sort((a, b) => b[1] - a[1])
    .map(([a, n]) => ({ label: ACTIONS[a] || a, value: n, cls: 's4' }));
  fill('moderation-chart', make('p', {}, `最近 ${entries.length} 条记录中的动作`),
    barList(items, '管理动作次数', chartWidth('moderation-chart')));
  fill('moderation-latest', dataTable('最新记录', ['时间', '动作', '执行人', '对象', '原因', '证据'],
    entries.slice(0, 20).map((e) => [when(e.created_at), ACTIONS[e.action] || e.action, e.actor, e.target,
      e.reason || '', e.evidence || '']), [0, 1, 2, 3]));
}

function renderOrders(list) {
  const entries = (list && list.entries) || [];
  if (!entries.length) return fill('orders-table', empty('没有待发放的订单'));
  fill('orders-table', make('p', {}, `${entries.length} 个订单待发放（在群里用 /orders done <订单号> 标记已发放）`),
    dataTable('待发放订单', ['订单号', '下单时间', '成员', '奖品', '积分'],
      entries.map((o) => ['#' + o.id, when(o.created_at), o.userid, o.item, num(o.cost)])));
}

function renderMembers(list) {
  const members = (list && list.members) || [];
  if (!members.length) return fill('members-table', empty('没有成员'));
  const note = members.length >= MEMBERS_SHOWN ? `显示前 ${MEMBERS_SHOWN} 位（按 userid），完整名单请下载 CSV` : `${members.length} 位成员`;
  fill('members-table', make('p', {}, note), dataTable('成员', ['成员', '分层', '积分', '称号', '最后发言', '入群', '退群'],
    members.map((m) => [m.name || m.userid, SEGMENT_NAMES[m.segment] || m.segment, num(m.points), m.title || '',
      when(m.last_message_at), when(m.joined_at), m.left_at ? when(m.left_at) : ''])));
}

// drawn is the data each renderer last drew, to draw again at a new width.
const drawn = new Map();
let drawnWidth = 0;
window.addEventListener('resize', () => {
  clearTimeout(window.redrawTimer);
  window.redrawTimer = setTimeout(() => {
    const w = document.documentElement.clientWidth;
    if (w === drawnWidth) return;
    drawnWidth = w;
    for (const [render, data] of drawn) render(data);
  }, 200);
});

// section runs one loader so that a failure shows in its own section only.
async function section(ids, load, render) {
  try {
    const data = await load();
    drawn.set(render, data);
    drawnWidth = document.documentElement.clientWidth;
    render(data);
  } catch (err) {
    drawn.delete(render);
    ids.forEach((id) => fill(id, make('p', { class: 'error' }, '加载失败：' + err.message)));
  }
}

async function showGroup() {
  const chat = $('group-picker').value;
  if (!chat) return;
  history.replaceState(null, '', '#' + encodeURIComponent(chat));
  const base = '/api/v1/groups/' + encodeURIComponent(chat);
  $('status').textContent = '加载中…';
  const statsIDs = ['tiles', 'activity-chart', 'share-chart', 'segments-chart'];
  await Promise.all([
    section(statsIDs, () => getJSON(`${base}/stats?days=${$('days').value}`), renderStats),
    section(['leaderboard-chart'], () => getJSON(`${base}/leaderboard?period=${$('period').value}`), renderLeaderboard),
    section(['moderation-chart'], () => getJSON(`${base}/modlog?limit=500`), renderModeration),
    section(['orders-table'], () => getJSON(`${base}/orders?status=pending&limit=100`), renderOrders),
    showMembers(),
  ]);
  $('status').textContent = '';
}

function showMembers() {
  const chat = $('group-picker').value;
  const base = '/api/v1/groups/' + encodeURIComponent(chat) + '/members';
  const seg = $('segment').value;
  $('members-csv').setAttribute('href', base + '?format=csv');
  return section(['members-table'], () => getJSON(`${base}?limit=${MEMBERS_SHOWN}` + (seg ? '&segment=' + seg : '')),
    renderMembers);
}

async function start() {
  let groups = [];
  try { groups = ((await getJSON('/api/v1/groups')) || {}).groups || []; } catch (err) {
    $('status').textContent = '无法读取群列表：' + err.message;
    return;
  }
  if (!groups.length) {
    fill('group-picker', make('option', { value: '' }, '暂无群'));
    $('status').textContent = '还没有群：机器人在群里收到第一条消息后，群会出现在这里。';
    return;
  }
  fill('group-picker', ...groups.map((g) => make('option', { value: g.chatid },
    `${g.name || g.chatid}（${g.chatid}，${num(g.members)} 人）`)));
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (groups.some((g) => g.chatid === wanted)) $('group-picker').value = wanted;
  for (const id of ['group-picker', 'days', 'period']) $(id).addEventListener('change', showGroup);
  $('segment').addEventListener('change', showMembers);
  showGroup();
}

document.addEventListener('DOMContentLoaded', start);
