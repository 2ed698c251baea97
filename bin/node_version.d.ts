/**
 * Types of "bin/node_version.js" (plain JavaScript, see there).
 */
export declare const REQUIRED_NODE_MAJOR: number
export declare function nodeVersionProblem(version: string): string | undefined
