import { OutputCapture, reportTextLimit } from './output.capture';

describe('output capture', () => {
  it('keeps everything under the cap', () => {
    const capture = new OutputCapture(100);
    capture.push(Buffer.from('hello '));
    capture.push(Buffer.from('world'));
    expect(capture.text()).toBe('hello world');
    expect(capture.truncated).toBe(false);
  });

  it('keeps head and tail of a long stream in bounded memory, and says so', () => {
    const capture = new OutputCapture(40);
    for (let i = 0; i < 10_000; i++) capture.push(Buffer.from(`line ${i}\n`));
    const text = capture.text();
    expect(capture.truncated).toBe(true);
    expect(text.startsWith('line 0\nline 1\n')).toBe(true);
    expect(text.endsWith('line 9999\n')).toBe(true);
    expect(text).toMatch(/… \d+ bytes omitted …/);
    expect(text.length).toBeLessThanOrEqual(reportTextLimit(40));
  });

  it('keeps only the head of a file', () => {
    const capture = new OutputCapture(4, 'head');
    capture.push(Buffer.from('abcdefgh'));
    expect(capture.text()).toBe('abcd\n… 4 bytes omitted …\n');
    expect(capture.truncated).toBe(true);
  });

  it('never lets a NUL through', () => {
    const capture = new OutputCapture(100);
    capture.push(Buffer.from([0x61, 0x00, 0x62]));
    expect(capture.text()).toBe('a\ufffdb');
  });
});
