/**
 * A small dictionary for the codec tests, so they do not depend on dictionaries/ changing. Standard attributes are
 * re-typed from RFC 2865/2866/2868/2869/3162/4818/6929; vendor numbers from docs/reference.md §4-5. Vendor 32473 is the
 * documentation Private Enterprise Number (RFC 5612) and carries one attribute of every data type; vendors
 * 32474.. exercise every vendor format.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Dictionary } from '../../../src/radius/dictionary.js';

export const TEST_DICTIONARY = `
ATTRIBUTE	User-Name		1	string
ATTRIBUTE	User-Password		2	string	encrypt=1
ATTRIBUTE	CHAP-Password		3	octets
ATTRIBUTE	NAS-IP-Address		4	ipaddr
ATTRIBUTE	NAS-Port		5	integer
ATTRIBUTE	Service-Type		6	integer
ATTRIBUTE	Framed-Protocol		7	integer
ATTRIBUTE	Framed-IP-Address	8	ipaddr
ATTRIBUTE	Filter-Id		11	string
ATTRIBUTE	Login-IP-Host		14	ipaddr
ATTRIBUTE	Login-Service		15	integer
ATTRIBUTE	Reply-Message		18	string
ATTRIBUTE	State			24	octets
ATTRIBUTE	Class			25	octets
ATTRIBUTE	Vendor-Specific		26	vsa
ATTRIBUTE	Session-Timeout		27	integer
ATTRIBUTE	Called-Station-Id	30	string
ATTRIBUTE	Calling-Station-Id	31	string
ATTRIBUTE	NAS-Identifier		32	string
ATTRIBUTE	Proxy-State		33	octets
ATTRIBUTE	Acct-Status-Type	40	integer
ATTRIBUTE	Acct-Delay-Time		41	integer
ATTRIBUTE	Acct-Session-Id		44	string
ATTRIBUTE	Acct-Authentic		45	integer
ATTRIBUTE	Event-Timestamp		55	date
ATTRIBUTE	CHAP-Challenge		60	octets
ATTRIBUTE	NAS-Port-Type		61	integer
ATTRIBUTE	Tunnel-Type		64	integer	has_tag
ATTRIBUTE	Tunnel-Medium-Type	65	integer	has_tag
ATTRIBUTE	Tunnel-Client-Endpoint	66	string	has_tag
ATTRIBUTE	Tunnel-Password		69	string	has_tag,encrypt=2
ATTRIBUTE	Connect-Info		77	string
ATTRIBUTE	EAP-Message		79	octets	concat
ATTRIBUTE	Message-Authenticator	80	octets
ATTRIBUTE	NAS-Port-Id		87	string
ATTRIBUTE	NAS-IPv6-Address	95	ipv6addr
ATTRIBUTE	Framed-Interface-Id	96	ifid
ATTRIBUTE	Framed-IPv6-Prefix	97	ipv6prefix
ATTRIBUTE	Delegated-IPv6-Prefix	123	ipv6prefix
ATTRIBUTE	Auth-Type		1000	integer

VALUE	Service-Type		Login-User		1
VALUE	Service-Type		Framed-User		2
VALUE	Framed-Protocol		PPP			1
VALUE	Login-Service		Telnet			0
VALUE	Acct-Status-Type	Start			1
VALUE	Acct-Status-Type	Stop			2
VALUE	Acct-Authentic		RADIUS			1
VALUE	NAS-Port-Type		Wireless-802.11		19
VALUE	NAS-Port-Type		Ethernet		15
VALUE	Tunnel-Type		PPTP			1
VALUE	Tunnel-Type		VLAN			13
VALUE	Tunnel-Medium-Type	IEEE-802		6

# RFC 6929 extended attributes
ATTRIBUTE	Extended-Attribute-1	241	extended
ATTRIBUTE	Extended-Attribute-5	245	long-extended
ATTRIBUTE	Extended-Vendor-Specific-1 241.26 evs
ATTRIBUTE	Extended-Vendor-Specific-5 245.26 evs
ATTRIBUTE	Frag-Status		241.1	integer
ATTRIBUTE	Test-Long-String	245.1	string

VENDOR		USR		429	format=4,0
VENDOR		Starent		8164	format=2,2
VENDOR		Mikrotik	14988
VENDOR		Microsoft	311
VENDOR		Ascend		529
VENDOR		Example		32473
VENDOR		Fmt-1-0		32474	format=1,0
VENDOR		Fmt-2-1		32475	format=2,1
VENDOR		Fmt-2-0		32476	format=2,0
VENDOR		Fmt-4-1		32477	format=4,1
VENDOR		Fmt-4-2		32478	format=4,2
VENDOR		Fmt-1-2		32479	format=1,2
VENDOR		Fmt-WiMAX	32480	format=1,1,c

ATTRIBUTE	USR-Event-Id		0xBFBE	integer	USR

BEGIN-VENDOR	Starent
ATTRIBUTE	SN-VPN-Name		2	string
END-VENDOR	Starent

BEGIN-VENDOR	Mikrotik
ATTRIBUTE	Mikrotik-Rate-Limit	8	string
ATTRIBUTE	Mikrotik-Address-List	19	string
END-VENDOR	Mikrotik

BEGIN-VENDOR	Microsoft
ATTRIBUTE	MS-CHAP-Challenge	11	octets
ATTRIBUTE	MS-MPPE-Send-Key	16	octets	encrypt=2
ATTRIBUTE	MS-MPPE-Recv-Key	17	octets	encrypt=2
END-VENDOR	Microsoft

BEGIN-VENDOR	Ascend
ATTRIBUTE	Ascend-Send-Secret	214	string	encrypt=3
END-VENDOR	Ascend

BEGIN-VENDOR	Example
ATTRIBUTE	Ex-String		1	string
ATTRIBUTE	Ex-Octets		2	octets
ATTRIBUTE	Ex-IPAddr		3	ipaddr
ATTRIBUTE	Ex-IPv6Addr		4	ipv6addr
ATTRIBUTE	Ex-IPv6Prefix		5	ipv6prefix
ATTRIBUTE	Ex-IfId			6	ifid
ATTRIBUTE	Ex-Integer		7	integer
ATTRIBUTE	Ex-Integer64		8	integer64
ATTRIBUTE	Ex-Date			9	date
ATTRIBUTE	Ex-Byte			10	byte
ATTRIBUTE	Ex-Short		11	short
ATTRIBUTE	Ex-Signed		12	signed
ATTRIBUTE	Ex-Ether		13	ether
ATTRIBUTE	Ex-ABinary		14	abinary
ATTRIBUTE	Ex-Combo-IP		15	combo-ip
ATTRIBUTE	Ex-IPv4Prefix		16	ipv4prefix
ATTRIBUTE	Ex-TLV			17	tlv
ATTRIBUTE	Ex-Tagged-String	18	string	has_tag
ATTRIBUTE	Ex-Tagged-Integer	19	integer	has_tag
ATTRIBUTE	Ex-IP-Array		20	ipaddr	array
ATTRIBUTE	Ex-Uint16		21	uint16
ATTRIBUTE	Ex-Struct		22	struct
ATTRIBUTE	Ex-Hidden-Integer	23	integer	encrypt=2
ATTRIBUTE	Ex-Hidden-Octets	24	octets	encrypt=1
ATTRIBUTE	Ex-Fixed		25	octets[6]
VALUE	Ex-Integer		Zero			0
VALUE	Ex-Integer		Seven			7
VALUE	Ex-Byte			One			1
VALUE	Ex-Signed		Minus-One		-1
VALUE	Ex-Hidden-Integer	Off			0
VALUE	Ex-Hidden-Integer	On			1
END-VENDOR	Example

# Attributes of vendor Example carried in Extended-Vendor-Specific-1 (RFC 6929 §2.4)
VENDOR		Example-Evs	32481
BEGIN-VENDOR	Example-Evs	format=Extended-Vendor-Specific-1
ATTRIBUTE	Ex-Evs-String		1	string
ATTRIBUTE	Ex-Evs-Integer		2	integer
END-VENDOR	Example-Evs

BEGIN-VENDOR	Fmt-WiMAX
ATTRIBUTE	Fmt-WiMAX-Octets	2	octets
END-VENDOR	Fmt-WiMAX
`;

const FORMAT_VENDORS = ['Fmt-1-0', 'Fmt-2-1', 'Fmt-2-0', 'Fmt-4-1', 'Fmt-4-2', 'Fmt-1-2', 'Fmt-WiMAX'] as const;

function formatVendorAttributes(): string {
  return FORMAT_VENDORS.map(
    (v) => `BEGIN-VENDOR ${v}\nATTRIBUTE ${v}-String 1 string\nATTRIBUTE ${v}-Integer 200 integer\nEND-VENDOR ${v}\n`,
  ).join('');
}

export const FORMAT_VENDOR_ATTRIBUTES: readonly string[] = FORMAT_VENDORS.flatMap((v) => [`${v}-String`, `${v}-Integer`]);

export function testDictionary(): Dictionary {
  return Dictionary.parse(TEST_DICTIONARY + formatVendorAttributes(), '/nonexistent/test-dictionary');
}

/** The project's own dictionary tree, when it exists (it is written alongside this code). */
export const PROJECT_DICTIONARY = fileURLToPath(new URL('../../../dictionaries/dictionary', import.meta.url));
export const projectDictionaryExists = existsSync(PROJECT_DICTIONARY);

export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

/** The whole test dictionary text, for tests that add lines of their own (the data files' `define`). */
export const TEST_DICTIONARY_TEXT = TEST_DICTIONARY + formatVendorAttributes();
