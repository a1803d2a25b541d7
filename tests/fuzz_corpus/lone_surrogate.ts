export const s = 'í €';
