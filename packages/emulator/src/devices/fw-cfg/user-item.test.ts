import { isTraceError } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { FW_CFG_OPT_WARNING, checkUserItem, parseFwCfgOption } from './user-item.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isTraceError(e, 'E_USAGE')) return e.message;
    throw e;
  }
  return '';
}

describe('-fw_cfg options (spec §9.6)', () => {
  it('parses name=, file= and string=, a bare leading name, and ",," as a comma', () => {
    expect(parseFwCfgOption('name=opt/a,string=x,,y')).toMatchObject({ name: 'opt/a', string: 'x,y' });
    expect(parseFwCfgOption('opt/b,file=/tmp/f')).toMatchObject({ name: 'opt/b', file: '/tmp/f' });
    expect(parseFwCfgOption('opt/c,gen_id=g')).toMatchObject({ name: 'opt/c', gen_id: 'g' });
  });

  it('refuses unknown and bare parameters', () => {
    expect(message(() => parseFwCfgOption('name=a,size=3'))).toBe("Invalid parameter 'size'");
    expect(message(() => parseFwCfgOption('name=a,string=b,c'))).toBe("Invalid parameter 'c'");
  });

  it('needs a name and exactly one non-empty source', () => {
    const needed = 'name, plus exactly one of file, string and gen_id, are needed';
    expect(message(() => checkUserItem({ name: '', string: 'x' }))).toBe(needed);
    expect(message(() => checkUserItem({ name: 'opt/a' }))).toBe(needed);
    expect(message(() => checkUserItem({ name: 'opt/a', string: '' }))).toBe(needed);
    expect(message(() => checkUserItem({ name: 'opt/a', string: 'x', file: 'f' }))).toBe(needed);
  });

  it('limits names to 55 characters', () => {
    expect(checkUserItem({ name: 'opt/' + 'n'.repeat(51), string: 'x' })).toEqual([]);
    expect(message(() => checkUserItem({ name: 'opt/' + 'n'.repeat(52), string: 'x' }))).toBe('name too long (max. 55 char)');
  });

  it('warns for names outside opt/', () => {
    expect(checkUserItem({ name: 'etc/x', string: 'x' })).toEqual([FW_CFG_OPT_WARNING]);
    expect(FW_CFG_OPT_WARNING).toBe('externally provided fw_cfg item names should be prefixed with "opt/"');
  });

  it('refuses gen_id, which needs a vmgenid object this machine lacks', () => {
    expect(message(() => checkUserItem({ name: 'opt/g', gen_id: 'x' }))).toMatch(/gen_id/);
  });
});
