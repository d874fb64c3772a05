import { textType } from './content.sniffer';

describe('textType', () => {
  it('tells CSV from plain text by its delimited lines', () => {
    expect(textType(Buffer.from('name,amount\nalice,3\nbob,4\n'))).toBe('text/csv');
    expect(textType(Buffer.from('Dear team,\nplease look at this.\n'))).toBe('text/plain');
  });

  it('calls HTML what it is, whatever the file was named', () => {
    expect(textType(Buffer.from('<!DOCTYPE html><script>alert(1)</script>'))).toBe('text/html');
    expect(textType(Buffer.from('  <html><body>hi</body></html>'))).toBe('text/html');
  });

  it('calls bytes that are not UTF-8 text an opaque binary', () => {
    expect(textType(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]))).toBe('application/octet-stream');
    expect(textType(Buffer.from('abc\u0000def'))).toBe('application/octet-stream');
    expect(textType(Buffer.alloc(0))).toBe('application/octet-stream');
  });
});
