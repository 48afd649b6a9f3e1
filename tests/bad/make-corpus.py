#!/usr/bin/env python3
# make-corpus.py -- writes the bad-input corpus (tests/bad/*) and its MANIFEST.  Each case is
# one malformed input and the message it must give (file:line and key, or the option); a case
# whose expectation starts "known-bug: " is a reported bug the test only watches.  Rerun after
# editing: python3 tests/bad/make-corpus.py (the random garbage inputs are seeded).
import os, random
D=os.path.dirname(os.path.abspath(__file__))
cases=[]  # (name, expected, args)
def f(name, text, mode='w'):
    p=os.path.join(D,name)
    if isinstance(text,bytes): open(p,'wb').write(text)
    else: open(p,'w').write(text)
def scn(name, text, expect, cmd='check', extra=''):
    f(name+'.ini', text)
    cases.append((name, expect, f'{cmd} @{name}.ini{extra}'))
J='[j]\nfilename=/dev/sim0\nnumber_ios=10\n'
JF='[j]\nfilename=data\nsize=1m\nnumber_ios=10\n'
# -- simulator sections
for sec,body in [('disk','model=ssd\n'),('sim','seed=1\n'),('host','cores=2\n'),('fs','cache_mb=64\n'),('policy','name=serial\n')]:
    scn(f'repeated-{sec}', J+f'[{sec}]\n{body}[{sec}]\n{body}', f'repeated-{sec}.ini:6: [{sec}] repeated')
scn('no-jobs', '[disk]\nmodel=ssd\n', 'no-jobs.ini')
f('empty.ini',''); cases.append(('empty-scenario','empty.ini','check @empty.ini'))
f('blank-lines.ini','\n\n  \n; comment only\n'); cases.append(('comments-only-scenario','blank-lines.ini','check @blank-lines.ini'))
for sec in ['disk','block','host','sim','fs','policy']:
    scn(f'unknown-key-{sec}', J+f'[{sec}]\nfrobnicate=1\n', f'unknown-key-{sec}.ini:5: [{sec}] frobnicate')
scn('unknown-key-job', J+'frobnicate=1\n', 'unknown-key-job.ini:4: [j] frobnicate')
scn('unknown-key-global', '[global]\nwibble=3\n'+J, 'unknown-key-global.ini:2: [global] wibble')
bad_vals=[('host','cores','0'),('host','cores','-4'),('host','cores','abc'),('host','cores','100000000000'),
 ('host','memcpy_gbps','0'),('host','syscall_ns','-1'),('sim','seed','-1'),('sim','jitter','2'),('sim','oracle','maybe'),
 ('sim','warmup_s','-1'),('disk','model','floppy'),('disk','queue_depth','0'),('disk','capacity_gb','-1'),
 ('disk','capacity_gb','1e30'),('disk','scheduler','elevator'),('disk','channels','0'),('disk','read_us','-5'),
 ('disk','read_us','fast'),('disk','bandwidth_mbps','nan'),('disk','spec','/nonexistent/x.disk'),
 ('disk','age_limit_ms','-1'),('disk','hw_queues','0'),('block','scheduler','cfq'),('block','nr_requests','0'),
 ('block','merges','maybe'),('block','read_expire','-5'),('block','fifo_batch','0'),('block','writes_starved','-1'),
 ('fs','block_size','1000'),('fs','block_size','-4096'),('fs','cache_mb','0'),('fs','cache_mb','1e12'),
 ('fs','layout','weird'),('fs','dirty_ratio','1.5'),('fs','direct_alloc','maybe'),('fs','dio_invalidate','neither'),
 ('fs','readahead_kb','-8'),('fs','maxphys_kb','0'),('fs','writeback_interval_s','inf'),
 ('policy','name','nonesuch'),('policy','fairness','lottery'),('policy','fairness','batch:-1'),('policy','fairness','batch:x'),
 ('policy','matrix','garbage'),('policy','matrix','read:read;nosuch:read'),('policy','bmap','local'),('policy','concurrent','maybe')]
for sec,key,val in bad_vals:
    nm=f'{sec}-{key}-{val}'.replace('/','').replace(':','').replace(';','').replace('.','_')
    body = JF if sec=='fs' or sec=='policy' else J
    exp = f'{nm}.ini:6: [{sec}] {key}' if body==JF else f'{nm}.ini:5: [{sec}] {key}'
    scn(nm, body+f'[{sec}]\n{key}={val}\n', exp)
scn('disk-simple-service_dist', J+'[disk]\nmodel=simple\nservice_us=10\nservice_dist=weird\n', 'disk-simple-service_dist.ini:7: [disk] service_dist')
# -- job keys
job_vals=[('bs','banana'),('bs','-4k'),('bs','0'),('numjobs','1000000000'),('numjobs','0'),('numjobs','-1'),
 ('iodepth','100000000'),('rw','sideways'),('size','-1g'),('size','1e'),('number_ios','-5'),
 ('number_ios','abc'),('runtime','-1'),('ioengine','floppy'),('rate_iops','-1'),('thinktime','xyz'),('loops','0'),
 ('startdelay','-1'),('offset','nonsense')]
for key,val in job_vals:
    nm=f'job-{key}-{val}'.replace('-','_').replace('job_','job-',1)
    scn(nm, '[global]\nfilename=/dev/sim0\nnumber_ios=10\n[j]\n'+f'{key}={val}\n', f'{nm}.ini:5: [j] {key}')
scn('job-rwmixread-150', '[j]\nfilename=/dev/sim0\nrw=randrw\nrwmixread=150\n', 'job-rwmixread-150.ini:4: [j] rwmixread')
scn('job-startdelay-empty', '[j]\nfilename=/dev/sim0\nstartdelay=\n', 'job-startdelay-empty.ini:3: [j] startdelay')
scn('job-iodepth-0', '[j]\nfilename=/dev/sim0\nioengine=libaio\niodepth=0\n', 'job-iodepth-0.ini:4: [j] iodepth')
scn('job-bs-larger-than-size', '[j]\nfilename=data\nsize=4k\nbs=1m\n', 'job-bs-larger-than-size.ini:3: [j] size')
scn('job-time_based-no-runtime', '[j]\nfilename=/dev/sim0\ntime_based\n', 'job-time_based-no-runtime.ini:3: [j] time_based')
scn('job-size-beyond-disk', '[j]\nfilename=data\nsize=100p\nnumber_ios=10\n', 'job-size-beyond-disk.ini:3: [j] size')
scn('job-offset-beyond-disk', '[j]\nfilename=/dev/sim0\noffset=10t\nnumber_ios=10\n', 'job-offset-beyond-disk.ini:3: [j] offset')
scn('job-bare-bs', '[j]\nfilename=/dev/sim0\nbs\n', 'job-bare-bs.ini:3: [j] bs')
scn('job-filename-empty', '[j]\nfilename=\nnumber_ios=10\n', 'job-filename-empty.ini:1: [j] size')
scn('billion-threads', '[j]\nfilename=data\nsize=1m\nnumber_ios=1\nnumjobs=100000\nioengine=io_uring\niodepth=65536\ndirect=1\n', 'billion-threads.ini:5: [j] numjobs')
scn('too-many-requests', '[j]\nfilename=data\nsize=1m\nnumber_ios=100000000000\n', 'too-many-requests.ini:4: [j] number_ios')
scn('random-maps-too-big', '[j]\nfilename=data\nsize=200g\nbs=512\nrw=randread\nnumber_ios=1\nnumjobs=10000\n', 'random-maps-too-big.ini:3: [j] size')
scn('too-many-maps', '[j]\nfilename=/dev/sim0\nnumber_ios=1\nnumjobs=70000\n', 'too-many-maps.ini:4: [j] numjobs')
# -- syntax
scn('include-missing', '[j]\ninclude nonexistent-include.ini\n', 'include-missing.ini:2')
scn('include-no-arg', '[j]\ninclude\n', 'include-no-arg.ini:2')
f('include-loop.inc', 'bs=4k\ninclude include-loop.inc\n')
scn('include-cycle', '[j]\ninclude include-loop.inc\n', 'include-loop.inc:2')
scn('include-outside-section', 'include x.ini\n[j]\n', 'include-outside-section.ini:1')
scn('key-outside-section', 'bs=4k\n[j]\nfilename=/dev/sim0\n', 'key-outside-section.ini:1')
scn('unterminated-header', '[j]\nfilename=/dev/sim0\n[disk\nmodel=ssd\n', 'unterminated-header.ini:3')
scn('empty-header', '[]\nfilename=/dev/sim0\n', 'empty-header.ini:1')
scn('bad-key-chars', '[j]\nfilename=/dev/sim0\nb$s=4k\n', 'bad-key-chars.ini:3')
f('garbage.ini', bytes(random.Random(1).randrange(256) for _ in range(600)))
cases.append(('binary-garbage-scenario','garbage.ini','check @garbage.ini'))
f('nul-byte.ini', b'[j]\nfilename=/dev/sim0\x00\nbs=4k\n'); cases.append(('nul-byte-scenario','nul-byte.ini:2','check @nul-byte.ini'))
f('utf16.ini', '[j]\nfilename=/dev/sim0\n'.encode('utf-16')); cases.append(('utf16-scenario','utf16.ini','check @utf16.ini'))
f('long-line.ini', '[j]\nfilename=/dev/sim0\nbs='+'9'*200000+'\n'); cases.append(('long-line-scenario','long-line.ini:3: [j] bs','check @long-line.ini'))
cases.append(('scenario-is-directory','tests/bad','check tests/bad'))
cases.append(('scenario-missing','/nonexistent/x.ini','check /nonexistent/x.ini'))
cases.append(('run-scenario-missing','/nonexistent/x.ini','run /nonexistent/x.ini'))
scn('disk-spec-garbage', J+'[disk]\nmodel=mechanical\nspec=disk-garbage.disk\n', 'disk-garbage.disk')
# -- traces (replay against the small SSD unless said)
f('ok.trace','0 0 0 8 1\n1 0 8 8 0\n')
def tr(name, text, fmt, expect, extra=''):
    f(name, text)
    cases.append((name.replace('.','-'), expect, f'replay @{name} --format {fmt} --disk disks/ssd.disk --out /tmp/vnodesim-bad-out{extra}'))
tr('ascii-truncated.trace','0 0 0 8 1\n1.5 0 8\n','ascii','ascii-truncated.trace:2')
tr('ascii-six-fields.trace','0 0 0 8 1 7\n','ascii','ascii-six-fields.trace:1')
tr('ascii-blkno-text.trace','0 0 zero 8 1\n','ascii','ascii-blkno-text.trace:1: blkno')
tr('ascii-negative-time.trace','-1 0 0 8 1\n','ascii','ascii-negative-time.trace:1: time_ms')
tr('ascii-bcount-zero.trace','0 0 0 0 1\n','ascii','ascii-bcount-zero.trace:1: size')
tr('ascii-beyond-disk.trace','0 0 0 8 1\n1 0 999999999999 8 1\n','ascii','ascii-beyond-disk.trace:2: blkno')
tr('ascii-lba-wraps.trace','0 0 18446744073709551615 8 1\n','ascii','ascii-lba-wraps.trace:1: blkno')
tr('ascii-nan-time.trace','nan 0 0 8 1\n','ascii','ascii-nan-time.trace:1: time_ms')
tr('ascii-huge-field.trace','0 0 99999999999999999999999 8 1\n','ascii','ascii-huge-field.trace:1: blkno')
tr('ascii-empty.trace','','ascii','ascii-empty.trace')
tr('ascii-comments.trace','# nothing\n\n# here\n','ascii','ascii-comments.trace')
f('ascii-garbage.trace', bytes(random.Random(2).randrange(256) for _ in range(400)))
cases.append(('ascii-garbage-trace','ascii-garbage.trace','replay @ascii-garbage.trace --format ascii --disk disks/ssd.disk --out /tmp/vnodesim-bad-out'))
tr('ascii-too-many-fields.trace','0 0 0 8 1 '+' '.join(['1']*20)+'\n','ascii','ascii-too-many-fields.trace:1')
tr('ascii-flags-text.trace','0 0 0 8 read\n','ascii','ascii-flags-text.trace:1: flags')
tr('validate-op.trace','X Hit 0 8 100 100\n','validate','validate-op.trace:1: op')
tr('validate-five.trace','R Hit 0 8 100\n','validate','validate-five.trace:1')
tr('validate-negative-service.trace','R Hit 0 8 -100 100\n','validate','validate-negative-service.trace:1: service_us')
tr('validate-huge-bcount.trace','R Hit 0 8589934592 100 100\n','validate','validate-huge-bcount.trace:1: size')
tr('mqsim-type.trace','0 0 0 8 2\n','mqsim','mqsim-type.trace:1: type')
tr('mqsim-float-time.trace','1.5 0 0 8 1\n','mqsim','mqsim-float-time.trace:1: time_ns')
tr('mqsim-four.trace','0 0 0 8\n','mqsim','mqsim-four.trace:1')
tr('mqsim-beyond-disk.trace','0 0 600000000000 8 1\n','mqsim','mqsim-beyond-disk.trace:1: blkno')
tr('spc-four.trace','0,100,4096,W\n','spc','spc-four.trace:1')
tr('spc-lba-text.trace','0,abc,4096,W,0.1\n','spc','spc-lba-text.trace:1: LBA')
tr('spc-opcode.trace','0,100,4096,X,0.1\n','spc','spc-opcode.trace:1: opcode')
tr('blkparse-truncated.trace','  8,0    3        1     0.000000000  4162  Q  WS 3417048 +\n','blkparse','blkparse-truncated.trace:1')
tr('blkparse-sector-text.trace','  8,0    3        1     0.000000000  4162  Q  WS banana + 8 [x]\n','blkparse','blkparse-sector-text.trace:1: sector')
tr('blkparse-separators.trace','  ,\n8\n','blkparse','blkparse-separators.trace:2')
tr('iolog-version.trace','fio version 9 iolog\n','iolog','iolog-version.trace:1: header')
tr('iolog-short.trace','fio version 2 iolog\n/dev/sda add\n/dev/sda open\n/dev/sda read 0\n','iolog','iolog-short.trace:4')
tr('iolog-action.trace','fio version 2 iolog\n/dev/sda add\n/dev/sda open\n/dev/sda frobnicate 0 4096\n','iolog','iolog-action.trace:4: action')
cases.append(('ascii-devno-none','ok.trace','replay @ok.trace --format ascii --disk disks/ssd.disk --devno 99 --out /tmp/vnodesim-bad-out'))
cases.append(('trace-missing','/nonexistent/t.trace','replay /nonexistent/t.trace --format ascii --disk disks/ssd.disk --out /tmp/vnodesim-bad-out'))
cases.append(('trace-is-directory','tests/bad','replay tests/bad --format ascii --disk disks/ssd.disk --out /tmp/vnodesim-bad-out'))
cases.append(('validate-trace-missing','/nonexistent/t.trace','validate /nonexistent/t.trace --disk disks/ssd.disk --out /tmp/vnodesim-bad-out'))
# -- disk files
def dk(name, text, expect):
    f(name, text)
    cases.append(('diskfile-'+name.replace('.','-'), expect, f'replay @ok.trace --format ascii --disk @{name} --out /tmp/vnodesim-bad-out'))
dk('empty.disk','','empty.disk')
dk('unknown-key.disk','[disk]\nmodel=ssd\nwibble=2\n','unknown-key.disk:3: [disk] wibble')
dk('rpm-negative.disk','[disk]\nmodel=mechanical\nrpm=-1\ncylinders=100\nsurfaces=2\n','rpm-negative.disk:3: [disk] rpm')
dk('zone-bad.disk','[disk]\nmodel=mechanical\nrpm=5400\ncylinders=100\nsurfaces=2\n[zone 0]\nfirst_cyl=0\nlast_cyl=banana\nsectors_per_track=10\n','zone-bad.disk:8')
dk('disk-garbage.disk', '[disk]\nmodel=mechanical\n\x01\x02\x03garbage\x7f\n', 'disk-garbage.disk:3')
dk('ssd-read-text.disk','[disk]\nmodel=ssd\nread_us=fast\n','ssd-read-text.disk:3: [disk] read_us')
dk('seek-table-bad.disk','[disk]\nmodel=mechanical\nrpm=5400\ncylinders=100\nsurfaces=2\nsectors_per_track=10\nseek_table=1:x\n','seek-table-bad.disk:7')
dk('truncated.diskspecs','disksim_disk X {\n   Model = source x.model,\n   Per-request overhead time = 0.0,\n','truncated.diskspecs')
dk('unknown-block.diskspecs','disksim_frobnicator X {\n   A = 1\n}\n','unknown-block.diskspecs:1')
dk('value-text.diskspecs','disksim_disk X {\n   Per-request overhead time = quick,\n}\n','value-text.diskspecs:2')
dk('empty.diskspecs','','empty.diskspecs')
dk('missing-model.diskspecs','disksim_disk X {\n   Model = source no-such.model,\n}\n','missing-model.diskspecs:2')
f('garbage.diskspecs', bytes(random.Random(3).randrange(256) for _ in range(500)))
cases.append(('garbage-diskspecs','garbage.diskspecs','replay @ok.trace --format ascii --disk @garbage.diskspecs --out /tmp/vnodesim-bad-out'))
cases.append(('disk-missing','/nonexistent/d.disk','replay @ok.trace --format ascii --disk /nonexistent/d.disk --out /tmp/vnodesim-bad-out'))
cases.append(('disk-is-directory','disks','replay @ok.trace --format ascii --disk disks --out /tmp/vnodesim-bad-out'))
# -- command lines (option named)
f('ok.ini','[j]\nfilename=/dev/sim0\nnumber_ios=10\n')
cl=[('no-command','vnodesim: missing COMMAND',''),('unknown-command',"unknown command 'frobnicate'",'frobnicate'),
 ('run-no-scenario','SCENARIO','run'),('run-two-scenarios','SCENARIO','run @ok.ini @ok.ini'),
 ('run-seeds-zero','--seeds','run @ok.ini --seeds 0'),('run-seeds-huge','--seeds','run @ok.ini --seeds 100000'),
 ('run-seed-text','--seed','run @ok.ini --seed abc'),('run-policy-unknown','--policy','run @ok.ini --policy nonesuch'),
 ('run-set-nodot','--set','run @ok.ini --set nodot=1'),('run-set-novalue',"--set: 'disk.model'",'run @ok.ini --set disk.model'),
 ('run-set-unknown-section','--set','run @ok.ini --set nosuch.key=1'),('run-set-unknown-key','--set disk.frob=1','run @ok.ini --set disk.frob=1'),
 ('run-set-negative','--set host.cores=-1','run @ok.ini --set host.cores=-1'),('run-unknown-option','--no-such-option','run @ok.ini --no-such-option'),
 ('replay-no-format','--format','replay @ok.trace --disk disks/ssd.disk'),('replay-bad-format','--format','replay @ok.trace --format nope --disk disks/ssd.disk'),
 ('replay-no-disk','--disk','replay @ok.trace --format ascii'),('replay-devno-text','--devno','replay @ok.trace --format ascii --disk disks/ssd.disk --devno abc'),
 ('check-extra-arg','SCENARIO','check @ok.ini @ok.ini'),('policies-extra-arg','policies','policies foo'),
 ('validate-no-trace','TRACE','validate --disk disks/ssd.disk'),('run-out-unwritable','/proc/vnodesim-bad','run @ok.ini --out /proc/vnodesim-bad'),
 ('run-out-is-file','MANIFEST','run @ok.ini --out @MANIFEST'),('check-set-bad-value','--set fs.cache_mb=x','check @ok.ini --set fs.cache_mb=x')]
for n,e,a in cl: cases.append((n,e,a))
# -- policy lists: empty, an empty item, a policy twice, unknown -- refused before anything
#    is written; an output folder that exists but cannot be written, before any run
O=' --out /tmp/vnodesim-bad-out'
for cmd,opt in [('run','--policy'),('compare','--policies'),('sweep','--policies')]:
    v=' --vary host.cores=1,2' if cmd=='sweep' else ''
    cases.append((f'{cmd}-policy-list-empty', f'{cmd}: {opt}: no policy named', f"{cmd} @ok.ini {opt} ''{v}"+O))
    cases.append((f'{cmd}-policy-list-empty-item', f'{cmd}: {opt}: an empty policy name', f'{cmd} @ok.ini {opt} serial,,none{v}'+O))
    cases.append((f'{cmd}-policy-list-twice', f"{cmd}: {opt}: policy 'serial' named twice", f'{cmd} @ok.ini {opt} serial,none,serial{v}'+O))
    cases.append((f'{cmd}-policy-list-unknown', f"{cmd}: {opt}: unknown policy 'nonesuch'", f'{cmd} @ok.ini {opt} serial,nonesuch{v}'+O))
# -- merge and diff read only what vnodesim wrote: sweep.json against its schema (types
#    included), summary.csv's header, field counts and numbers, one scenario per merge
SUMMARY=open(os.path.join(D,'..','scenarios','buffered-reread.summary.csv')).read()
HDR=SUMMARY.split('\n')[0]
ROW=SUMMARY.split('\n')[1]
def mdir(name, files):
    os.makedirs(os.path.join(D,name), exist_ok=True)
    for fn,text in files.items(): f(os.path.join(name,fn), text)
def sweepdef(points, vary='[{"key": "host.cores", "values": ["1"]}]'):
    return '{"vnodesim_sweep": 1, "scenario": "x.ini", "vary": %s, "points": %s}\n' % (vary, points)
mdir('merge-json-name-type', {'sweep.json': sweepdef('[{"name": 5, "policy": "serial", "seed": 1, "values": {}}]')})
cases.append(('merge-json-name-type', "merge-json-name-type/sweep.json: not a vnodesim sweep definition: points[0]: 'name'", 'merge @merge-json-name-type'+O))
mdir('merge-json-vary-type', {'sweep.json': sweepdef('[]', vary='"host.cores"')})
cases.append(('merge-json-vary-type', "merge-json-vary-type/sweep.json: not a vnodesim sweep definition: no array 'vary'", 'merge @merge-json-vary-type'+O))
mdir('merge-json-value-type', {'sweep.json': sweepdef('[{"name": "p", "policy": "serial", "seed": 1, "values": {"host.cores": 1}}]')})
cases.append(('merge-json-value-type', "merge-json-value-type/sweep.json: not a vnodesim sweep definition: points[0]: every value must be a string", 'merge @merge-json-value-type'+O))
mdir('merge-json-name-escape', {'sweep.json': sweepdef('[{"name": "../..", "policy": "serial", "seed": 1, "values": {}}]')})
cases.append(('merge-json-name-escape', "merge-json-name-escape/sweep.json: not a vnodesim sweep definition: points[0]: 'name'", 'merge @merge-json-name-escape'+O))
mdir('merge-json-garbage', {'sweep.json': '{"vary": [1, 2\n'})
cases.append(('merge-json-garbage', 'merge-json-garbage/sweep.json', 'merge @merge-json-garbage'+O))
mdir('merge-csv-foreign', {'summary.csv': ','.join('c%d' % i for i in range(25))+'\n'+','.join('1'*25)+'\n'})
cases.append(('merge-csv-foreign', "merge-csv-foreign/summary.csv:1: not a vnodesim summary.csv: no column 'scenario'", 'merge @merge-csv-foreign'+O))
mdir('merge-csv-ragged', {'summary.csv': HDR+'\n'+ROW+'\n'+ROW.rsplit(',',3)[0]+'\n'})
cases.append(('merge-csv-ragged', 'merge-csv-ragged/summary.csv:3: 22 fields, the header has 25', 'merge @merge-csv-ragged'+O))
bad_row=ROW.split(','); bad_row[4]='lots'
mdir('merge-csv-not-number', {'summary.csv': HDR+'\n'+','.join(bad_row)+'\n'})
cases.append(('merge-csv-not-number', "merge-csv-not-number/summary.csv:2: column ops: 'lots' is not a number", 'merge @merge-csv-not-number'+O))
nan_row=ROW.split(','); nan_row[5]='nan'
mdir('merge-csv-nan', {'summary.csv': HDR+'\n'+','.join(nan_row)+'\n'})
cases.append(('merge-csv-nan', "merge-csv-nan/summary.csv:2: column read_iops: 'nan' is not a number", 'merge @merge-csv-nan'+O))
other=ROW.replace('buffered-reread,','other-scenario,',1)
mdir('merge-mixed-a', {'summary.csv': HDR+'\n'+ROW+'\n'})
mdir('merge-mixed-b', {'summary.csv': HDR+'\n'+other+'\n'})
cases.append(('merge-mixed-scenarios', "merge-mixed-b/summary.csv:2: scenario 'other-scenario', but", 'merge @merge-mixed-a @merge-mixed-b'+O))
cases.append(('diff-csv-foreign', "merge-csv-foreign/summary.csv:1: not a vnodesim summary.csv", 'diff @merge-mixed-a @merge-csv-foreign'))
cases.append(('diff-csv-ragged', 'merge-csv-ragged/summary.csv:3: 22 fields', 'diff @merge-mixed-a @merge-csv-ragged'))
# -- the horizon: a time-bounded job whose runtime would simulate past 10^9 requests
scn('job-runtime-80d-time-based', '[j]\nfilename=/dev/sim0\nrw=randread\nbs=4k\ntime_based=1\nruntime=80d\n', 'job-runtime-80d-time-based.ini:6: [j] runtime: the run would simulate about')
scn('job-runtime-2d-buffered', '[j]\nfilename=data\nsize=1m\nrw=read\nbs=4k\ntime_based=1\nruntime=2d\n', 'job-runtime-2d-buffered.ini:7: [j] runtime: the run would simulate about')
cases.append(('compare-out-unwritable', '/proc/1: cannot write results there', 'compare @ok.ini --out /proc/1'))
cases.append(('sweep-out-unwritable', '/proc/1: cannot write results there', 'sweep @ok.ini --vary host.cores=1,2 --out /proc/1'))
# -- inputs that are not files, that multiply or nest without end.  %/ is the folder that
#    tests/bad/make-big.sh fills at test time (deep nesting, include/source fan-out, FIFOs).
OUT=' --out /tmp/vnodesim-bad-out'
def big(name, expect, args): cases.append((name, expect, args))
big('include-laughs', 'laugh-12.inc:2: include laugh-13.inc: more than 256 includes', 'check %/laughs.ini')
big('include-wide-laughs', 'wlaugh-13.inc:1: include wlaugh-14.inc: more than 256 includes', 'check %/wide-laughs.ini')
big('scenario-too-large', 'big.ini: too large', 'check %/big.ini')
big('include-too-large', 'big-include.ini:4: include big.inc: the job file and its includes exceed 64 MiB', 'check %/big-include.ini')
big('scenario-fifo', 'fifo: not a regular file (a FIFO)', 'check %/fifo')
big('run-scenario-fifo', 'fifo: not a regular file (a FIFO)', 'run %/fifo'+OUT)
big('include-fifo', 'fifo-include.ini:4: include: ', 'check %/fifo-include.ini')
big('disk-spec-fifo', 'fifo-disk.ini:6: [disk] spec: ', 'check %/fifo-disk.ini')
big('replay-disk-fifo', '[disk] spec: cannot read the disk file', 'replay %/ok.trace --format ascii --disk %/fifo'+OUT)
big('diskspecs-source-fifo', 'fifo-source.diskspecs:2: Model: ', 'replay %/ok.trace --format ascii --disk %/fifo-source.diskspecs'+OUT)
big('seek-table-fifo', 'fifo-seek.disk:7: [disk] seek: ', 'replay %/ok.trace --format ascii --disk %/fifo-seek.disk'+OUT)
big('diskspecs-deep-list', 'deep-list.diskspecs:2: A: blocks and lists nested more than 64 deep', 'replay %/ok.trace --format ascii --disk %/deep-list.diskspecs'+OUT)
big('diskspecs-deep-block', 'deep-block.diskspecs:2: A: blocks and lists nested more than 64 deep', 'replay %/ok.trace --format ascii --disk %/deep-block.diskspecs'+OUT)
big('diskspecs-source-fan', 'fan-8.diskspecs:2: A: source fan-9.diskspecs: nested more than 8 deep', 'replay %/ok.trace --format ascii --disk %/fan-0.diskspecs'+OUT)
big('diskspecs-source-wide', 'wide-7.diskspecs:2: A: source wide-8.diskspecs: more than 256 sources', 'replay %/ok.trace --format ascii --disk %/wide-0.diskspecs'+OUT)
cases.append(('scenario-dev-null', '/dev/null: not a regular file (a character device)', 'check /dev/null'))
scn('include-dev-zero', '[j]\nfilename=/dev/sim0\nnumber_ios=10\ninclude /dev/zero\n', 'include-dev-zero.ini:4: include: /dev/zero: not a regular file')
scn('include-directory', '[j]\nfilename=/dev/sim0\nnumber_ios=10\ninclude .\n', 'include-directory.ini:4: include: ')
scn('disk-spec-dev-zero', J+'[disk]\nmodel=mechanical\nspec=/dev/zero\n', 'disk-spec-dev-zero.ini:6: [disk] spec: ')
dk('source-dev-zero.diskspecs', 'disksim_disk X {\n   Model = source /dev/zero,\n}\n', 'source-dev-zero.diskspecs:2: Model: /dev/zero: not a regular file')
dk('seek-dev-zero.disk', '[disk]\nmodel=mechanical\nrpm=5400\ncylinders=100\nsurfaces=2\nsectors_per_track=10\nseek=table:/dev/zero\n', 'seek-dev-zero.disk:7: [disk] seek: /dev/zero: not a regular file')
f('self-source.diskspecs', 'disksim_disk X {\n   Model = source self-source.diskspecs,\n}\n')
cases.append(('diskfile-self-source-diskspecs', 'self-source.diskspecs:2: Model: source self-source.diskspecs: nested more than 8 deep', 'replay @ok.trace --format ascii --disk @self-source.diskspecs --out /tmp/vnodesim-bad-out'))
# -- trace times: past the 90-day horizon (they crashed the engine), and going backwards
tr('ascii-huge-time.trace','0 0 0 8 1\n1e16 0 8 8 1\n','ascii','ascii-huge-time.trace:2: time_ms: 1e16 ms is past the longest simulated time')
tr('ascii-backwards.trace','0 0 0 8 1\n5 0 8 8 1\n3 0 16 8 1\n','ascii','ascii-backwards.trace:3: time_ms: this request arrives at 0.003 s, before the one on line 2')
tr('ascii-backwards-other-dev.trace','5 1 0 8 1\n3 0 16 8 1\n','ascii','ascii-backwards-other-dev.trace:2: time_ms', ' --devno 0')
tr('spc-huge-time.trace','0,100,4096,W,0\n0,100,4096,W,1e300\n','spc','spc-huge-time.trace:2: timestamp: 1e300 s is past')
tr('spc-backwards.trace','0,100,4096,W,2.5\n0,100,4096,W,1\n','spc','spc-backwards.trace:2: timestamp')
tr('blkparse-huge-time.trace','  8,0    3        1     0.000000000  4162  Q  WS 3417048 + 8 [x]\n  8,0    3        2     1e300  4162  Q  WS 3417048 + 8 [x]\n','blkparse','blkparse-huge-time.trace:2: time: 1e300 s is past')
tr('blkparse-backwards.trace','  8,0    3        1     2.000000000  4162  Q  WS 3417048 + 8 [x]\n  8,0    3        2     1.000000000  4162  Q  WS 3417056 + 8 [x]\n','blkparse','blkparse-backwards.trace:2: time')
tr('mqsim-huge-time.trace','0 0 0 8 1\n18446744073709551615 0 8 8 1\n','mqsim','mqsim-huge-time.trace:2: time_ns: 18446744073709551615 ns is past')
tr('mqsim-backwards.trace','1000 0 0 8 1\n999 0 8 8 1\n','mqsim','mqsim-backwards.trace:2: time_ns')
tr('iolog2-huge-wait.trace','fio version 2 iolog\n/dev/sda add\n/dev/sda open\n/dev/sda read 0 4096\n/dev/sda wait 18446744073709551615 0\n/dev/sda read 0 4096\n','iolog','iolog2-huge-wait.trace:5: wait: the waits add up')
tr('iolog2-waits-add-up.trace','fio version 2 iolog\n/dev/sda add\n/dev/sda open\n/dev/sda wait 5000000000000 0\n/dev/sda read 0 4096\n/dev/sda wait 5000000000000 0\n/dev/sda read 0 4096\n','iolog','iolog2-waits-add-up.trace:6: wait: the waits add up to 10000000 s')
tr('iolog3-huge-time.trace','fio version 3 iolog\n0 /dev/sda add\n0 /dev/sda open\n0 /dev/sda read 0 4096\n18446744073709551615 /dev/sda read 0 4096\n','iolog','iolog3-huge-time.trace:5: timestamp: 18446744073709551615 us is past')
tr('iolog3-backwards.trace','fio version 3 iolog\n0 /dev/sda add\n0 /dev/sda open\n500 /dev/sda read 0 4096\n100 /dev/sda read 0 4096\n','iolog','iolog3-backwards.trace:5: timestamp')
tr('validate-huge-gap.trace','R Hit 0 8 100 100\nR Hit 8 8 100 1e300\n','validate','validate-huge-gap.trace:2: interarrival_us: 1e300 us is past')
tr('validate-huge-service.trace','R Hit 0 8 1e300 100\n','validate','validate-huge-service.trace:1: service_us: 1e300 us is past')
tr('validate-gaps-add-up.trace','R Hit 0 8 100 5e12\nR Hit 8 8 100 5e12\n','validate','validate-gaps-add-up.trace:2: interarrival_us: the think times add up')
big('trace-fifo', 'fifo: not a regular file (a FIFO)', 'replay %/fifo --format ascii --disk disks/ssd.disk'+OUT)
cases.append(('trace-dev-zero', '/dev/zero: not a regular file (a character device)', 'replay /dev/zero --format ascii --disk disks/ssd.disk --out /tmp/vnodesim-bad-out'))
cases.append(('validate-trace-fifo', 'fifo: not a regular file (a FIFO)', 'validate %/fifo --disk disks/ssd.disk --out /tmp/vnodesim-bad-out'))
f('read-iolog-dev-zero.ini', '[j]\nfilename=data\nread_iolog=/dev/zero\n')
cases.append(('read-iolog-dev-zero', 'read-iolog-dev-zero.ini:3: [j] read_iolog: /dev/zero: not a regular file', 'check @read-iolog-dev-zero.ini'))
f('read-iolog-scaled.trace', 'fio version 3 iolog\n0 f add\n0 f open\n7000000000000 f read 0 4096\n')
scn('read-iolog-time-scale', '[j]\nfilename=data\nread_iolog=read-iolog-scaled.trace\nreplay_time_scale=50\n', 'read-iolog-time-scale.ini:4: [j] replay_time_scale: the trace\'s last request would arrive at 14000000 s')
# -- command line and job options that were taken as nonsense
cl2=[('run-seed-negative','run: --seed must be >= 0','run @ok.ini --seed -5'),
 ('run-seed-minus-one','run: --seed must be >= 0','run @ok.ini --seed -1'),
 ('compare-seed-negative','compare: --seed must be >= 0','compare @ok.ini --seed -3 --out /tmp/vnodesim-bad-out'),
 ('sweep-seed-negative','sweep: --seed must be >= 0','sweep @ok.ini --vary fs.cache_mb=16,32 --seed -2 --out /tmp/vnodesim-bad-out'),
 ('replay-devno-negative','replay: --devno must be >= 0','replay @ok.trace --format ascii --disk disks/ssd.disk --devno -1 --out /tmp/vnodesim-bad-out')]
for n,e,a in cl2: cases.append((n,e,a))
scn('job-bs-empty', '[j]\nfilename=/dev/sim0\nnumber_ios=10\nbs=\n', 'job-bs-empty.ini:4: [j] bs: empty value')
scn('job-bs-commas', '[j]\nfilename=/dev/sim0\nnumber_ios=10\nbs=,\n', 'job-bs-commas.ini:4: [j] bs: empty value')
scn('job-bsrange-empty', '[j]\nfilename=/dev/sim0\nnumber_ios=10\nbsrange=\n', 'job-bsrange-empty.ini:4: [j] bsrange: empty value')
scn('job-runtime-365d', '[j]\nfilename=/dev/sim0\nruntime=365d\ntime_based\n', 'job-runtime-365d.ini:3: [j] runtime: \'365d\' is past the longest simulated time')
scn('job-runtime-1e300', '[j]\nfilename=/dev/sim0\nruntime=1e300\n', 'job-runtime-1e300.ini:3: [j] runtime')
scn('job-ramp_time-huge', '[j]\nfilename=/dev/sim0\nnumber_ios=10\nramp_time=100d\n', 'job-ramp_time-huge.ini:4: [j] ramp_time')
scn('job-thinktime-huge', '[j]\nfilename=/dev/sim0\nnumber_ios=10\nthinktime=1e16\n', 'job-thinktime-huge.ini:4: [j] thinktime')
scn('job-startdelay-huge', '[j]\nfilename=/dev/sim0\nnumber_ios=10\nstartdelay=1-1e9\n', 'job-startdelay-huge.ini:4: [j] startdelay')
scn('sim-warmup_s-huge', J+'[sim]\nwarmup_s=1e9\n', 'sim-warmup_s-huge.ini:5: [sim] warmup_s')
# -- disk geometry and mechanics at the edge of what the model represents (disk_mech.h):
#    zones with no room crashed the request path (an LBN past the capacity), huge or
#    non-finite times ran on as nonsense
MD='[disk]\nmodel=mechanical\nrpm=5400\ncylinders=100\nsurfaces=2\nseek_table=1:1 50:5 99:10\n'
def zone(extra, spt=10): return f'[zone 0]\nfirst_cyl=0\nlast_cyl=99\nsectors_per_track={spt}\n{extra}'
dk('front-space-huge.disk', MD+zone('front_space=2147483600\n', 100), 'front-space-huge.disk:11: [zone 0] front_space')
dk('spares-per-track.disk', MD+'sparing=3\n'+zone('spares=20\n'), 'spares-per-track.disk:12: [zone 0] spares: 20 spares, but there are 10 sectors a track')
dk('spares-per-cylinder.disk', MD+'sparing=2\n'+zone('spares=50\n'), 'spares-per-cylinder.disk:12: [zone 0] spares')
dk('spares-sparing9-huge.disk', MD+'sparing=9\n'+zone('spares=2147483600\n'), 'spares-sparing9-huge.disk:12: [zone 0] spares')
dk('spares-sparing1-huge.disk', MD+'sparing=1\n'+zone('spares=2147483600\n'), 'spares-sparing1-huge.disk:12: [zone 0] spares')
dk('front-and-spares-fill-zone.disk', MD+'sparing=9\n'+zone('front_space=1000\nspares=1000\n'), 'front-and-spares-fill-zone.disk:13: [zone 0] spares: the front space, spares and slips leave no sector')
dk('slips-outside-zone.disk', MD+'sparing=9\n'+zone('spares=10\nslips=5 999999\n'), 'slips-outside-zone.disk:13: [zone 0] slips')
dk('rpm-tiny.disk', MD.replace('rpm=5400','rpm=1e-300')+'sectors_per_track=10\n', 'rpm-tiny.disk:3: [disk] rpm: 1e-300 is not in [1, 100000]')
dk('rpm-huge.disk', MD.replace('rpm=5400','rpm=1e9')+'sectors_per_track=10\n', 'rpm-huge.disk:3: [disk] rpm')
for nm,v in [('nan','1:nan 50:5'),('inf','1:1 50:inf'),('huge','1:1 50:1e300'),('negative','1:1 50:-2')]:
    dk(f'seek-table-{nm}.disk', MD.replace('seek_table=1:1 50:5 99:10',f'seek_table={v}')+'sectors_per_track=10\n', f'seek-table-{nm}.disk:6: [disk] seek_table')
dk('seek-table-extrapolates-negative.disk', MD.replace('seek_table=1:1 50:5 99:10','seek_table=1:5 2:1')+'sectors_per_track=10\n', 'seek-table-extrapolates-negative.disk:6: [disk] seek_table: a seek over 99 cylinders would take -387 ms')
dk('seek-rw-negative.disk', MD.replace('seek_table=1:1 50:5 99:10','seek=rw:-5,0,1,0.01,10')+'sectors_per_track=10\n', 'seek-rw-negative.disk:6: [disk] seek: a seek over 1 cylinders would take -5 ms')
dk('seek-rw-huge.disk', MD.replace('seek_table=1:1 50:5 99:10','seek=rw:1,1,1,1e300,10')+'sectors_per_track=10\n', 'seek-rw-huge.disk:6: [disk] seek')
dk('head-switch-huge.disk', MD+'sectors_per_track=10\nhead_switch_ms=1e6\n', 'head-switch-huge.disk:8: [disk] head_switch_ms: 1e+06 ms is not in [0, 10000]')
dk('bus-per-sector-huge.disk', MD+'sectors_per_track=10\nbus_ms_per_sector=1e5\n', 'bus-per-sector-huge.disk:8: [disk] bus_ms_per_sector')
dk('overhead-scale-huge.disk', MD+'sectors_per_track=10\noverhead_scale=1e6\n', 'overhead-scale-huge.disk:8: [disk] overhead_scale')
dk('cylinders-huge.disk', MD.replace('cylinders=100','cylinders=2147483647')+'sectors_per_track=10\n', 'cylinders-huge.disk:4: [disk] cylinders')
dk('tracks-too-many.disk', MD.replace('cylinders=100','cylinders=10000000').replace('surfaces=2','surfaces=1024')+'sectors_per_track=10\n', 'tracks-too-many.disk:4: [disk] cylinders: 10000000 cylinders x 1024 surfaces is over 16777216 tracks')
dk('sectors-too-many.disk', MD.replace('cylinders=100','cylinders=16384').replace('surfaces=2','surfaces=1024')+'sectors_per_track=1048576\n', 'sectors-too-many.disk:7: [disk] sectors_per_track')
scn('disk-override-rpm-tiny', J+'[disk]\nmodel=mechanical\nspec=../../disks/hp_c3323a.disk\nrpm=1e-300\n', 'disk-override-rpm-tiny.ini:7: [disk] rpm')
DS=('disksim_disk X {\n'
    '   Model = dm_disk {\n'
    '      Number of data surfaces = 2,\n'
    '      Number of cylinders = CYLS,\n'
    '      Block count = BLOCKS,\n'
    '      Layout Model = dm_layout_g1 {\n'
    '         LBN-to-PBN mapping scheme = 0,\n'
    '         Sparing scheme used = 9,\n'
    '         Zones = [\n'
    '            dm_layout_g1_zone {\n'
    '               First cylinder number = 0,\n'
    '               Last cylinder number = 99,\n'
    '               Blocks per track = 10,\n'
    '               Empty space at zone front = FRONT,\n'
    '               Number of spares = SPARES\n'
    '            }\n'
    '         ]\n'
    '      },\n'
    '      Mechanical Model = dm_mech_g1 {\n'
    '         Seek type = SEEKTYPE,\n'
    '         SEEKKEY,\n'
    '         Rotation speed (in rpms) = RPM,\n'
    '         Head switch time = 0.5\n'
    '      }\n'
    '   },\n'
    '   Per-request overhead time = OVH\n'
    '}\n')
def ds(name, expect, **kw):
    v=dict(CYLS='100',BLOCKS='0',FRONT='0',SPARES='0',SEEKTYPE='hpl',SEEKKEY='HPL seek equation values = [ 10, 1, 0.5, 2, 0.01, 1 ]',RPM='5400',OVH='0.1')
    v.update(kw)
    t=DS
    for k,x in v.items(): t=t.replace(k,x)
    dk(name, t, expect)
ds('ds-spares-huge.diskspecs', 'ds-spares-huge.diskspecs:15: Number of spares: 2147483600 spares, but there are 2000 sectors', SPARES='2147483600')
ds('ds-front-space-huge.diskspecs', 'ds-front-space-huge.diskspecs:14: Empty space at zone front', FRONT='2147483600')
ds('ds-rpm-tiny.diskspecs', 'ds-rpm-tiny.diskspecs:22: Rotation speed (in rpms): 1e-300 is not in [1, 100000]', RPM='1e-300')
ds('ds-hpl-negative.diskspecs', 'ds-hpl-negative.diskspecs:21: HPL seek equation values: a seek over', SEEKKEY='HPL seek equation values = [ 10, -5, 0.5, 2, 0.01, -1 ]')
ds('ds-block-count-huge.diskspecs', 'ds-block-count-huge.diskspecs:5: Block count', BLOCKS='1e300')
ds('ds-overhead-huge.diskspecs', 'ds-overhead-huge.diskspecs:26: Per-request overhead time: 1e+06 ms is not in [0, 10000]', OVH='1e6')
ds('ds-cylinders-huge.diskspecs', 'ds-cylinders-huge.diskspecs:4: Number of cylinders', CYLS='2147483647')
f('nan.seek', 'Seek distances measured: 3\n1, 1.0\n50, nan\n99, 10.0\n')
ds('ds-seek-table-nan.diskspecs', 'nan.seek:3: seek table', SEEKTYPE='extracted', SEEKKEY='Full seek curve = nan.seek')
# -- offsets and sizes whose sum wrapped past 2^64 (an offset near 2^64 never ended)
scn('job-offset-wraps', '[j]\nfilename=data\nsize=1m\nnumber_ios=10\noffset=18446744073709551000\n', 'job-offset-wraps.ini:5: [j] offset: the region ends past')
scn('job-size-2-64', '[j]\nfilename=data\nnumber_ios=10\nsize=18446744073709551615\n', 'job-size-2-64.ini:4: [j] size: the region ends past')
scn('job-filesize-2-64', '[j]\nfilename=data\nnumber_ios=10\nfilesize=18446744073709551615\n', 'job-filesize-2-64.ini:4: [j] filesize: the region ends past')
scn('job-offset_increment-wraps', '[j]\nfilename=data\nsize=1m\nnumber_ios=10\nnumjobs=4\noffset_increment=9223372036854775807\n', 'job-offset_increment-wraps.ini:6: [j] offset_increment: the region ends past')
# -- .parv system files (one disk under a driver, buses and a controller), each broken once
f('parv-disk.diskspecs', DS.replace('CYLS','100').replace('BLOCKS','0').replace('FRONT','0').replace('SPARES','0')
  .replace('SEEKTYPE','hpl').replace('SEEKKEY','HPL seek equation values = [ 10, 1, 0.5, 2, 0.01, 1 ]')
  .replace('RPM','5400').replace('OVH','0.1'))
def parv(name, expect, ctype='1', rd='0.2', bus_as='BUS1', disks='disksim_disk disk0 [ ]'):
    f(name+'.parv', 'disksim_global Global { Init Seed = 42 }\ndisksim_iodriver DRIVER0 {\n   type = 1,\n'
      '   Constant access time = 0.0\n}\ndisksim_bus BUS0 { type = 1, Arbitration time = 0.0 }\n'
      f'disksim_bus BUS1 {{\n   Read block transfer time = {rd},\n   Write block transfer time = 0.3\n}}\n'
      f'disksim_ctlr CTLR0 {{ type = {ctype}, Scale for delays = 0.0 }}\nsource parv-disk.diskspecs\n'
      f'instantiate [ bus0, bus1 ] as {bus_as}\ninstantiate [ disk0 ] as X\ninstantiate [ driver0 ] as DRIVER0\n'
      'instantiate [ ctlr0 ] as CTLR0\ntopology disksim_iodriver driver0 [\n   disksim_bus bus0 [\n'
      f'      disksim_ctlr ctlr0 [\n         disksim_bus bus1 [ {disks} ]\n      ]\n   ]\n]\n')
    parv_cases.append((name, expect, f'replay @ok.trace --format ascii --disk @{name}.parv --out /tmp/vnodesim-bad-out'))
parv_cases=[]
parv('parv-bus-time-text', 'parv-bus-time-text.parv:8: Read block transfer time', rd='fast')
parv('parv-bus-time-negative', 'parv-bus-time-negative.parv:8: Read block transfer time', rd='-1')
parv('parv-smart-controller', 'parv-smart-controller.parv:11: type', ctype='3')
parv('parv-instantiate-unknown', 'parv-instantiate-unknown.parv:13: instantiate', bus_as='NOBUS')
parv('parv-two-disks', 'parv-two-disks.parv:17: topology', disks='disksim_disk disk0 [ ], disksim_disk disk1 [ ]')
parv('parv-no-disk', 'parv-no-disk.parv:17: topology', disks='')
parv('parv-disk-not-instantiated', 'parv-disk-not-instantiated.parv:20: topology', disks='disksim_disk disk9 [ ]')
parv('parv-not-a-disk', 'parv-not-a-disk.parv:20: topology', disks='disksim_simpledisk disk0 [ ]')
# -- bfq's [block] keys out of range (and low_latency=1, not modelled)
for k,v in [('slice_idle','-1'),('timeout_sync','0'),('max_budget','-5'),('fifo_expire_sync','0'),
            ('fifo_expire_async','abc'),('back_seek_max','-1'),('back_seek_penalty','0'),('low_latency','1'),
            ('low_latency','maybe')]:
    n=f'block-{k}-{v}'
    f(n+'.ini', J+f'[block]\nscheduler=bfq\n{k}={v}\n')
    parv_cases.append((n, f'{n}.ini:6: [block] {k}', f'check @{n}.ini'))
cases.extend(parv_cases)
# NB: MANIFEST also has lines added by hand after the script's last run (--cfg, blkparse,
# blktrace cases): keep them when rerunning.
with open(os.path.join(D,'MANIFEST'),'w') as m:
    m.write('# MANIFEST -- the bad-input corpus (tests/test_bad.c runs every line).\n'
            '# Each line: NAME<TAB>EXPECTED<TAB>ARGUMENTS.  `vnodesim ARGUMENTS` is run from the project\n'
            '# root (@ stands for tests/bad/) with VNODESIM_MEM_LIMIT_MB=16384 (the memory bound does not\n'
            '# depend on the machine); it must exit 2 and print one message whose first line\n'
            '# holds EXPECTED (file:line and key, or the option); anything after it may be usage text\n'
            '# or warnings, never a second error.  It runs under a time limit (a hang fails).  %/ stands\n'
            '# for a folder tests/bad/make-big.sh fills at test time (inputs too large to commit, FIFOs).\n')
    for n,e,a in cases: m.write(f'{n}\t{e}\t{a}\n')
print(len(cases))
