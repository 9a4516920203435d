// Types of scripts/build.mjs, for the tests that import it.
export declare const ROOT: string;
export declare function buildReason(root?: string): string | undefined;
export declare function build(root?: string): Promise<boolean>;
