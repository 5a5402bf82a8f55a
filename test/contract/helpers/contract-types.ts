// Reads the card contract (src/app/cards/utils/contract.ts) with the TypeScript compiler and checks
// JSON values against its declared types at run time. The contract's TypeScript types are the one
// source of the card ↔ backend wire format; this lets a jest test hold the backend's real answers
// against them without a hand-written copy of any field list.
import ts from 'typescript';

/** The exported types of one TypeScript file, usable as run-time JSON shapes. */
export interface ContractTypes {
  /**
   * Checks a JSON value against an exported type, both ways: every required property is present
   * with the declared type, and no property is present that the type does not declare.
   * @returns one line per mismatch, empty when the value conforms
   */
  mismatches(typeName: string, value: unknown): string[];
  /** The property names an exported interface declares, each with whether it is optional. */
  properties(typeName: string): { name: string; optional: boolean }[];
  /** The members of an exported union of string literals, e.g. `'pause' | 'resume'`. */
  stringLiterals(typeName: string): string[];
  /**
   * Every property path of an exported type whose type admits a non-null value, with `[]` for array
   * elements, e.g. `conversations[].lastTransition.actor`.
   */
  leafPaths(typeName: string): string[];
  /** The paths {@link mismatches} saw holding a non-null value, over every call so far. */
  seenPaths(typeName: string): Set<string>;
}

/**
 * Compiles `file` (it must import nothing) and returns its exported types.
 * @param file absolute path of the TypeScript file
 */
export function loadContractTypes(file: string): ContractTypes {
  const program = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'], types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read ${file}`);
  const exported = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, checker.getDeclaredTypeOfSymbol(s)]));
  const seen = new Map<string, Set<string>>();

  const typeOf = (name: string): ts.Type => {
    const type = exported.get(name);
    if (!type) throw new Error(`${file} exports no type ${name}`);
    return type;
  };
  const isNullish = (t: ts.Type) => (t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) !== 0;
  const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isStructured = (t: ts.Type) => checker.isArrayType(t) || (t.flags & ts.TypeFlags.Object) !== 0;

  function check(type: ts.Type, value: unknown, path: string, pattern: string, record: Set<string>): string[] {
    if (type.isUnion()) {
      // Try each member; report the structured member's own findings when it is the only candidate.
      const tries = type.types.map((member) => {
        const local = new Set<string>();
        return { member, errors: check(member, value, path, pattern, local), local };
      });
      const match = tries.find((t) => t.errors.length === 0);
      if (match) {
        match.local.forEach((p) => record.add(p));
        return [];
      }
      const structured = tries.filter((t) => isStructured(t.member));
      if (structured.length === 1 && typeof value === 'object' && value !== null) return structured[0]!.errors;
      return [`${path}: ${JSON.stringify(value)} is not ${checker.typeToString(type)}`];
    }
    if (value !== null && value !== undefined) record.add(pattern);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
    const expected = checker.typeToString(type);
    const fail = () => [`${path}: ${JSON.stringify(value)} is not ${expected}`];
    if (type.isStringLiteral() || type.isNumberLiteral()) return value === type.value ? [] : fail();
    if (type.flags & ts.TypeFlags.BooleanLiteral) return value === (expected === 'true') ? [] : fail();
    if (type.flags & ts.TypeFlags.String) return typeof value === 'string' ? [] : fail();
    if (type.flags & ts.TypeFlags.Number) return typeof value === 'number' && Number.isFinite(value) ? [] : fail();
    if (type.flags & ts.TypeFlags.Null) return value === null ? [] : fail();
    if (type.flags & ts.TypeFlags.Undefined) return value === undefined ? [] : fail();
    if (checker.isArrayType(type)) {
      if (!Array.isArray(value)) return fail();
      const element = checker.getTypeArguments(type as ts.TypeReference)[0]!;
      return value.flatMap((item, i) => check(element, item, `${path}[${i}]`, `${pattern}[]`, record));
    }
    if (type.flags & ts.TypeFlags.Object) {
      if (!isPlainObject(value)) return fail();
      const props = checker.getPropertiesOfType(type);
      const declared = new Set(props.map((p) => p.name));
      const errors = Object.keys(value)
        .filter((key) => !declared.has(key))
        .map((key) => `${path}.${key}: sent, but the card contract (${expected}) declares no such field`);
      for (const prop of props) {
        const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
        if (!(prop.name in value)) {
          if (!optional) errors.push(`${path}.${prop.name}: missing (${expected} requires it)`);
          continue;
        }
        errors.push(...check(checker.getTypeOfSymbol(prop), value[prop.name], `${path}.${prop.name}`, `${pattern}.${prop.name}`, record));
      }
      return errors;
    }
    return [`${path}: the contract uses ${expected}, which this check does not understand`];
  }

  function leaves(type: ts.Type, pattern: string, out: Set<string>, depth: number): void {
    if (depth > 10) return;
    const members = (type.isUnion() ? type.types : [type]).filter((t) => !isNullish(t));
    if (members.length === 0) return;
    if (pattern) out.add(pattern);
    for (const member of members) {
      if (checker.isArrayType(member)) leaves(checker.getTypeArguments(member as ts.TypeReference)[0]!, `${pattern}[]`, out, depth + 1);
      else if (member.flags & ts.TypeFlags.Object) {
        for (const prop of checker.getPropertiesOfType(member)) leaves(checker.getTypeOfSymbol(prop), `${pattern}.${prop.name}`, out, depth + 1);
      }
    }
  }

  return {
    mismatches(typeName, value) {
      const record = seen.get(typeName) ?? new Set<string>();
      seen.set(typeName, record);
      return check(typeOf(typeName), value, typeName, '', record);
    },
    properties(typeName) {
      return checker.getPropertiesOfType(typeOf(typeName)).map((p) => ({ name: p.name, optional: (p.flags & ts.SymbolFlags.Optional) !== 0 }));
    },
    stringLiterals(typeName) {
      const type = typeOf(typeName);
      return (type.isUnion() ? type.types : [type]).map((t) => {
        if (!t.isStringLiteral()) throw new Error(`${typeName} is not a union of string literals`);
        return t.value;
      });
    },
    leafPaths(typeName) {
      const out = new Set<string>();
      leaves(typeOf(typeName), '', out, 0);
      return [...out].sort();
    },
    seenPaths(typeName) {
      return seen.get(typeName) ?? new Set();
    },
  };
}
