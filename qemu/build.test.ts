// Choosing a QEMU: --qemu PATH (a bin dir, a meson build dir, or the daemon), $BGCHECK_QEMU, else PATH; probed by
// query-version, and a missing or broken build is one sentence.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBuild } from './build.ts';
import { chooseBuild, describeIdentity, identityOf } from './identity.ts';
import { fakeBuild } from './fixtures/fake-build.ts';
import type { FakeBuild } from './fixtures/fake-build.ts';

const made: FakeBuild[] = [];
const fake = (...a: Parameters<typeof fakeBuild>): FakeBuild => {
  const b = fakeBuild(...a);
  made.push(b);
  return b;
};
afterEach(() => {
  for (const b of made.splice(0)) b.remove();
});

describe('resolveBuild', () => {
  it('takes a bin directory, a meson build directory, or the daemon itself', () => {
    const bin = fake();
    const meson = fake({ layout: 'meson' });
    const r1 = resolveBuild(bin.dir);
    expect(r1.ok && [r1.build.daemon, r1.build.img]).toEqual([join(bin.dir, 'qemu-storage-daemon'), join(bin.dir, 'qemu-img')]);
    const r2 = resolveBuild(meson.dir);
    expect(r2.ok && [r2.build.daemon, r2.build.img]).toEqual([join(meson.dir, 'storage-daemon', 'qemu-storage-daemon'), join(meson.dir, 'qemu-img')]);
    const r3 = resolveBuild(meson.daemon);
    expect(r3.ok && r3.build.img).toBe(join(meson.dir, 'qemu-img'));
  });

  it('uses $BGCHECK_QEMU when --qemu is not given, else PATH', () => {
    const b = fake();
    const env = { BGCHECK_QEMU: b.dir, PATH: '' };
    const r = resolveBuild(undefined, env);
    expect(r.ok && [r.build.daemon, r.build.from]).toEqual([join(b.dir, 'qemu-storage-daemon'), `BGCHECK_QEMU=${b.dir}`]);
    const p = resolveBuild(undefined, { PATH: `/nonexistent:${b.dir}` });
    expect(p.ok && [p.build.daemon, p.build.from]).toEqual([join(b.dir, 'qemu-storage-daemon'), 'PATH']);
  });

  it('says in one sentence what is missing', () => {
    expect(resolveBuild('/nonexistent/x')).toEqual({ ok: false, message: '--qemu /nonexistent/x: /nonexistent/x is neither a directory nor an executable program' });
    const b = fake();
    const r = resolveBuild(join(b.dir, '..'));
    expect(r.ok ? '' : r.message).toMatch(/holds no qemu-storage-daemon and qemu-img/);
    const none = resolveBuild(undefined, { PATH: '/nonexistent' });
    expect(none.ok ? '' : none.message).toMatch(/^no QEMU: qemu-storage-daemon is not on PATH; give --qemu DIR/);
  });
});

describe('chooseBuild', () => {
  it("asks the build what it is: query-version's version and package, path-free", async () => {
    const r = await chooseBuild(fake({ version: '10.0.2' }).dir);
    expect(r.ok && r.probed.identity).toEqual({ version: '10.0.2', package: '' });
    expect(identityOf({ qemu: { major: 7, minor: 2, micro: 22 }, package: ' Debian 1:7.2+dfsg-7 ' })).toEqual({ version: '7.2.22', package: 'Debian 1:7.2+dfsg-7' });
    expect(describeIdentity({ version: '7.2.22', package: 'Debian x' })).toBe('QEMU 7.2.22 (Debian x)');
    expect(identityOf({ qemu: { major: 'x' } })).toBeUndefined();
  });

  it('refuses a daemon that cannot start, with the first line it printed', async () => {
    const b = fake({ broken: true });
    const r = await chooseBuild(b.dir);
    expect(r.ok ? '' : r.message).toMatch(/does not start a QMP monitor: .*error while loading shared libraries/);
  });
});
