import os, re, shutil, sys, json
src, dst = sys.argv[1], sys.argv[2]
shutil.rmtree(dst, ignore_errors=True); shutil.copytree(src, dst)
n = 0
for dirpath, _, files in os.walk(dst):
    parts = os.path.relpath(dirpath, dst).split(os.sep)
    if len(parts) == 3 and parts[1] == 'services' and 'index.html' in files:
        p = os.path.join(dirpath, 'index.html'); html = open(p, encoding='utf-8').read()
        area = parts[0]
        women = 'yes' if 'this service is for women only' in html else 'no'
        selfref = 'yes' if 'You can refer yourself' in html else 'no'
        needs = re.findall(r'href="[^"]*/needs/([a-z0-9-]+)/"', html)
        filt = f'<span hidden data-pagefind-filter="area">{area}</span><span hidden data-pagefind-filter="women_only">{women}</span><span hidden data-pagefind-filter="self_referral">{selfref}</span>' + ''.join(f'<span hidden data-pagefind-filter="need">{x}</span>' for x in sorted(set(needs)))
        html = html.replace('<main id="main" class="main" tabindex="-1">', '<main id="main" class="main" tabindex="-1" data-pagefind-body>' + filt, 1)
        open(p, 'w', encoding='utf-8').write(html); n += 1
print(n, 'service pages marked')
