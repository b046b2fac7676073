// The fixed Python of an exported iotest: the harness methods, and one block a check kind. No fixture text here;
// the data a check needs comes in as module constants written by iotest-python.ts.
import { match } from 'ts-pattern';
import type { IotestCheck } from './iotest-checks.ts';

export const HARNESS = `
    def setUp(self) -> None:
        # the commands name image files relative to the daemon's directory
        os.chdir(iotests.test_dir)
        for args in IMAGES:
            qemu_img_create(*args)
        self.qsd = QemuStorageDaemon(qmp=True)
        # a daemon that hangs fails the test instead of stalling it
        self.qsd.get_qmp().settimeout(30)

    def tearDown(self) -> None:
        try:
            self.qsd.stop(kill_signal=9)
        except Exception:  # it may have died or hung: that is what this test is about
            pass
        for args in IMAGES:
            try:
                os.remove(args[-2])  # the file name comes before the size
            except OSError:
                pass

    def call(self, what, cmd, args=None):
        try:
            return self.qsd.qmp(cmd, args)
        except Exception as e:  # EOFError, ConnectionResetError, TimeoutError: it died or hangs
            msg = f'qemu-storage-daemon is gone at {what} ({cmd}): {type(e).__name__}'
            raise self.failureException(msg) from None

    def settle(self, what):
        # a step is one command plus the job progress it causes, as bgcheck runs it
        for _ in range(1000):
            jobs = self.call(what, 'query-jobs')['return']
            if all(j['status'] in STABLE for j in jobs):
                return
            time.sleep(0.01)

    def step(self, n, cmd, args=None):
        reply = self.call(f'step {n}', cmd, args)
        self.settle(f'step {n}')
        return reply
`;

export const GRAPH_HELPERS = `
    def query(self, cmd, args=None):
        reply = self.call('the check', cmd, args)
        self.assertIn('return', reply, f'{cmd} failed')
        return reply['return']

    def graph(self):
        g = self.query('x-debug-query-block-graph')
        nodes = self.query('query-named-block-nodes', {'flat': True})
        return g, {n['node-name']: n for n in nodes}

    def find(self, g, path):
        # bgcheck names a node by a node-name, then the child names leading to it: 'top/file'
        first, *roles = path.split('/')
        job = first.startswith('job:')
        name = first[4:] if job else first
        ids = [n['id'] for n in g['nodes']
               if n['name'] == name and (n['type'] == 'block-job') == job]
        self.assertEqual(len(ids), 1, f'no single node {first!r}')
        node = ids[0]
        for role in roles:
            kids = [e['child'] for e in g['edges']
                    if e['parent'] == node and e['name'] == role]
            self.assertEqual(len(kids), 1, f'{path!r}: no single {role!r} child')
            node = kids[0]
        return node

    def check_edges(self, g, edges):
        for parent, role, child, perm, shared in edges:
            p, c = self.find(g, parent), self.find(g, child)
            found = [e for e in g['edges']
                     if e['parent'] == p and e['child'] == c and e['name'] == role]
            self.assertEqual(len(found), 1, f'no edge {parent} -{role}-> {child}')
            self.assertEqual((sorted(found[0]['perm']), sorted(found[0]['shared-perm'])),
                             (perm, shared), f'perm/shared of {parent} -{role}-> {child}')
`;

export const SNAPSHOT_HELPER = `
    def snapshot(self):
        g, info = self.graph()
        nodes = {n['id']: n for n in g['nodes']}

        def who(i):
            n = nodes[i]
            facts = info.get(n['name'], {}) if n['type'] == 'block-driver' else {}
            return (n['type'], n['name'], str(facts.get('drv')), str(facts.get('ro')))

        return (sorted(who(i) for i in nodes),
                sorted((who(e['parent']), e['name'], who(e['child']),
                        sorted(e['perm']), sorted(e['shared-perm'])) for e in g['edges']))
`;

/** The lines after the finding's step; `reply` holds that step's reply, `before` the snapshot taken before it. */
export function checkBlock(c: IotestCheck): string {
  return match(c)
    .with({ kind: 'alive' }, () => `
        # QEMU 7.2 died at the step above; a fixed QEMU lives and answers
        self.assertIn('return', self.call('the check', 'query-version'))`)
    .with({ kind: 'graph-unchanged' }, () => `
        self.assertIn('error', reply)
        self.assertEqual(self.snapshot(), before, 'the failed command changed the graph')`)
    .with({ kind: 'edge-perms' }, () => `
        g, _ = self.graph()
        self.check_edges(g, EXPECTED_EDGES)`)
    .with({ kind: 'filters' }, () => `
        g, info = self.graph()
        for n in g['nodes']:
            drv = info.get(n['name'], {}).get('drv') if n['type'] == 'block-driver' else None
            child = FILTERS.get(drv)
            if child is None:
                continue
            kids = [e for e in g['edges'] if e['parent'] == n['id'] and e['name'] == child]
            self.assertEqual(len(kids), 1, f"{drv} filter {n['name']} has {len(kids)} {child!r} children")`)
    .with({ kind: 'acyclic' }, () => `
        g, _ = self.graph()
        kids = {}
        for e in g['edges']:
            kids.setdefault(e['parent'], []).append(e['child'])
        state = {}

        def visit(n):
            state[n] = 'open'
            for c in kids.get(n, []):
                self.assertNotEqual(state.get(c), 'open', 'the block graph has a cycle')
                if c not in state:
                    visit(c)
            state[n] = 'done'

        for n in g['nodes']:
            if n['id'] not in state:
                visit(n['id'])`)
    .with({ kind: 'jobs-complete' }, () => `
        # completing the jobs drops their filter nodes: that must work, and QEMU must live
        for job in self.call('the check', 'query-jobs')['return']:
            if job['status'] == 'ready':
                self.call('the check', 'job-complete', {'id': job['id']})
        self.settle('the check')
        for job in self.call('the check', 'query-jobs')['return']:
            self.assertNotIn('error', job, f"job {job['id']}")`)
    .with({ kind: 'reference' }, (r) => `
        self.assertIn(${r.reply === 'error' ? "'error'" : "'return'"}, reply)${r.desc === null ? '' : `
        self.assertEqual(reply['error']['desc'], EXPECTED_DESC)`}
        g, info = self.graph()
        for name, drv, ro in EXPECTED_NODES:
            node = next(n for n in g['nodes'] if n['id'] == self.find(g, name))
            self.assertEqual((info[node['name']]['drv'], info[node['name']]['ro']), (drv, ro), name)
        self.check_edges(g, EXPECTED_EDGES)`)
    .with({ kind: 'replies' }, () => `
        # this finding cannot be seen through QMP queries: the daemon lives and answers as it should
        self.assertIn('return', self.call('the check', 'query-version'))`)
    .exhaustive();
}

export const needsGraph = (c: IotestCheck): boolean => c.kind !== 'alive' && c.kind !== 'jobs-complete' && c.kind !== 'replies';
