// What a person sees, measured in the browser (UX.md rule 19): returns one line per problem.
// - text printed over other text: two text boxes of different elements overlap, and neither
//   is covered by an opaque box painted over the other;
// - a word broken across lines: a word's characters sit on two lines, unless it is an address
//   or a URL broken right after "@", "/" or before or after a dot;
// - text that spills out of its table cell or card field: its box crosses the cell's edge, so
//   the cell is narrower than the longest word it holds;
// - a control whose text is clipped: a button, summary or link-button whose content is wider
//   than itself, or a select too narrow for its chosen option.
// Every rectangle comes from Range.getClientRects() on the text nodes themselves.
(function () {
  // Every rectangle below is measured from the top of the page.
  window.scrollTo(0, 0);
  const problems = [];
  const say = (what) => { if (problems.length < 40) problems.push(what); };
  const skipped = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'OPTION', 'SELECT', 'TEXTAREA', 'TITLE']);
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + Array.from(el.classList).slice(0, 2).join('.');
    return s;
  };
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      if (skipped.has(e.tagName)) return false;
      // A closed disclosure renders its summary only; the rest still reports boxes.
      const details = e.parentElement;
      if (details && details.tagName === 'DETAILS' && !details.open && e.tagName !== 'SUMMARY') return false;
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return false;
      if (e.classList && (e.classList.contains('visually-hidden') || e.classList.contains('default-submit'))) return false;
      // Hidden the way screen-reader-only text is: clipped to nothing.
      if (style.clipPath === 'inset(50%)' || (style.clip && style.clip !== 'auto')) return false;
    }
    return true;
  };
  const seen = (rect) => rect.width > 1.5 && rect.height > 1.5;

  // Every line of visible text, with the element that holds it.
  const lines = [];
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent;
    if (!text.trim()) continue;
    const el = node.parentElement;
    if (!el || !shown(el)) continue;
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter(seen);
    if (!rects.length) continue;
    for (const rect of rects) lines.push({ el, rect, text });
    const pattern = /\S+/g;
    let match;
    while ((match = pattern.exec(text))) words.push({ node, el, word: match[0], start: match.index });
  }

  // A word on two lines: where it breaks, and whether an address or URL may break there.
  const mayBreakAt = (word, at) => {
    const before = word[at - 1], after = word[at];
    // After a hyphen or a dash, as any text may ("sub-/accounts").
    if (before === '-' || before === '\u2013' || before === '\u2014' || before === '\u00ad') return true;
    // A URL's query may break at its punctuation, as style guides break URLs ("receive?/tenant").
    if (/[?&=]/.test(word) && /[?&=]/.test(before + after)) return true;
    if (!/[@]|:\/\/|^www\.|\.[a-z]{2,}$/i.test(word)) return false;
    return before === '@' || before === '/' || before === '.' || after === '.';
  };
  for (const { node, el, word, start } of words) {
    if (word.length < 2) continue;
    range.setStart(node, start);
    range.setEnd(node, start + word.length);
    const rects = Array.from(range.getClientRects()).filter(seen);
    const tops = new Set(rects.map((r) => Math.round(r.top)));
    if (tops.size < 2) continue;
    // Find each break: the first character on a new line.
    let lastTop = null, broken = false;
    for (let i = 0; i < word.length; i++) {
      range.setStart(node, start + i);
      range.setEnd(node, start + i + 1);
      const r = range.getBoundingClientRect();
      if (!seen(r)) continue;
      const top = Math.round(r.top);
      if (lastTop !== null && top > lastTop + 2 && !mayBreakAt(word, i)) broken = true;
      lastTop = top;
    }
    if (broken) say(`"${word}" is broken across lines in ${name(el)}`);
  }

  // Text that crosses the edge of its cell (or card field, on a phone).
  const floating = (el, cell) => {
    for (let e = el; e && e !== cell; e = e.parentElement) {
      const position = getComputedStyle(e).position;
      if (position === 'absolute' || position === 'fixed') return true;
    }
    return false;
  };
  for (const { el, rect, text } of lines) {
    const cell = el.closest('td, th');
    // A menu that opens over the table may be wider than the cell it opens from.
    if (!cell || floating(el, cell)) continue;
    const box = cell.getBoundingClientRect();
    if (rect.right > box.right + 1.5 || rect.left < box.left - 1.5) {
      say(`"${text.trim().slice(0, 40)}" spills out of ${name(cell)} (${Math.round(box.width)} px wide)`);
    }
  }

  // Text over text. Lines are bucketed by height so that only neighbours are compared.
  const painted = (color) => {
    const m = color.match(/rgba?\(([^)]+)\)/);
    if (!m) return false;
    const parts = m[1].split(',').map((p) => parseFloat(p));
    return parts.length < 4 || parts[3] > 0.5;
  };
  // Whether at (x, y) an opaque box is painted over one of the two texts: then it is hidden,
  // not overprinted (an open menu over the rows below, say).
  const covers = (x, y, a, b) => {
    const top = document.elementFromPoint(x, y);
    if (!top) return false;
    const loser = a.contains(top) || top.contains(a) ? b : a;
    for (let c = top; c && c !== document.documentElement; c = c.parentElement) {
      if (c.contains(loser)) return false;
      if (painted(getComputedStyle(c).backgroundColor)) return true;
    }
    return false;
  };
  const buckets = new Map();
  lines.forEach((line, i) => {
    const from = Math.floor(line.rect.top / 40);
    const to = Math.floor(line.rect.bottom / 40);
    for (let k = from; k <= to; k++) {
      if (!buckets.has(k)) buckets.set(k, []);
      buckets.get(k).push(i);
    }
  });
  const reported = new Set();
  for (const indices of buckets.values()) {
    for (let x = 0; x < indices.length; x++) {
      for (let y = x + 1; y < indices.length; y++) {
        const a = lines[indices[x]], b = lines[indices[y]];
        if (a.el === b.el) continue;
        const w = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
        const h = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
        if (w <= 1.5 || h <= 3) continue;
        const key = indices[x] + ':' + indices[y];
        if (reported.has(key)) continue;
        reported.add(key);
        // Bring the place into view, where elementFromPoint can see it.
        const absolute = Math.max(a.rect.top, b.rect.top) + h / 2;
        window.scrollTo(0, absolute - window.innerHeight / 2);
        const cx = Math.max(a.rect.left, b.rect.left) + w / 2;
        const cy = absolute - window.scrollY;
        if (covers(cx, cy, a.el, b.el)) continue;
        say(`"${a.text.trim().slice(0, 30)}" (${name(a.el)}) is printed over "${b.text.trim().slice(0, 30)}" (${name(b.el)})`);
      }
    }
  }

  // A table that must be scrolled sideways to be read.
  for (const scroller of document.querySelectorAll('.table-scroll')) {
    if (!shown(scroller)) continue;
    if (scroller.scrollWidth > scroller.clientWidth) {
      const widest = Array.from(scroller.querySelectorAll('tr:first-child > *')).map((c) => Math.round(c.getBoundingClientRect().width)).join('+');
      // What sticks out furthest, to say where to look.
      const edge = scroller.getBoundingClientRect().left + scroller.clientWidth;
      let furthest = null;
      for (const el of scroller.querySelectorAll('*')) {
        const right = el.getBoundingClientRect().right;
        if (right > edge && (!furthest || right > furthest.right)) furthest = { el, right };
      }
      const out = furthest ? `; ${name(furthest.el)} ends ${(furthest.right - edge).toFixed(1)} px past its edge` : '';
      say(`${name(scroller.firstElementChild || scroller)} scrolls sideways: ${scroller.scrollWidth} px in ${scroller.clientWidth} (columns ${widest})${out}`);
    }
  }

  // Controls whose text does not fit them.
  for (const el of document.querySelectorAll('button, summary, .button, .link-button')) {
    if (!shown(el) || !seen(el.getBoundingClientRect())) continue;
    if (el.scrollWidth > el.clientWidth + 1) say(`the text of ${name(el)} "${el.textContent.trim().slice(0, 30)}" is clipped`);
  }
  const canvas = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('select')) {
    if (!shown(select) || !seen(select.getBoundingClientRect())) continue;
    const option = select.options[select.selectedIndex];
    if (!option) continue;
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const needed = canvas.measureText(option.text).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 20;
    if (needed > select.clientWidth + 1) say(`${name(select)} is too narrow for "${option.text}" (${Math.round(select.clientWidth)} of ${Math.round(needed)} px)`);
  }
  window.scrollTo(0, 0);
  return problems;
})()
