// Types of validators.generated.js (see generate.ts): one Ajv standalone validator per nbformat schema.
type Validate = (data: unknown) => boolean;
export const v3_0: Validate;
export const v4_0: Validate;
export const v4_1: Validate;
export const v4_2: Validate;
export const v4_3: Validate;
export const v4_4: Validate;
export const v4_5: Validate;
export const v4_future: Validate;
