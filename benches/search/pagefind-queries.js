const out = document.getElementById('out');
try {
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  const res = {};
  for (const area of ['essex', 'liverpool']) {
    for (const q of ['housing', 'drink', 'alcohol', 'court', 'police', 'debt', 'mental', 'refuge', 'housng', 'alchohol', 'domestc abuse', 'prison', 'kids', 'h', 'ho']) {
      const r = await pagefind.search(q, { filters: { area } });
      const data = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
      res[`${area}: ${q}`] = [r.results.length, data.map((d) => d.meta.title)];
    }
  }
  out.textContent = JSON.stringify(res);
} catch (e) { out.textContent = 'ERROR ' + e; }
