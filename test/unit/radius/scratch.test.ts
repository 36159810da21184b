import { Dictionary } from '../../../src/radius/dictionary.js';
import { test } from "vitest"; test("x", () => {
const t0 = performance.now();
const d = Dictionary.loadFiles(['/usr/share/freeradius/dictionary']);
console.log('ms', performance.now() - t0, d.attributeCount);
for (const n of ['User-Name','Service-Type','Tunnel-Password','Frag-Status','IP-Port-Type','WiMAX-Release','FreeRADIUS-802.1X-Anonce','Mikrotik-Rate-Limit','NAS-IP-Address','Client-Id','Ascend-Send-Secret','EAP-Message','Auth-Type'])
  { const a = d.attribute(n) as any; console.log(n, a && {v:a.vendorId,t:a.type,dt:a.dataType,tag:a.hasTag,enc:a.encrypt,onWire:a.onWire,parent:a.parent?.name}); }
console.log(d.attributeByNumber(0,4)?.name, d.attributeByNumber(0,6)?.valueNames.get(6), d.attribute('Service-Type')?.values.get('Shell-User'));
console.log(d.vendor('WiMAX'), d.vendor(429), d.vendor('starent'));
const t1 = performance.now();
Dictionary.loadFiles(['/usr/share/freeradius/dictionary']);
console.log('ms2', performance.now() - t1);
for (const f of ['dictionary.dhcp','dictionary.wimax.wichorus','dictionary.vqp','dictionary.freedhcp','dictionary.rfc5090','dictionary.openser']) {
  try { const x = Dictionary.loadFiles(['/usr/share/freeradius/dictionary', '/usr/share/freeradius/'+f]); console.log(f,'ok', x.attributeCount); } catch (e) { console.log(f, (e as Error).message); }
}
});
