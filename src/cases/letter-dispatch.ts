import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A letter of the case that went out (issued, delivered, or superseded since; never a draft). */
export interface DispatchedLetter {
  id: string;
  code: string;
  /** the letter's date: the day it went out */
  datedOn: string;
  /** the consultation a letter to a consulted party belongs to */
  consultationId: string | null;
  /** superseded by a corrected letter: its receipt is a fact of that letter only */
  superseded: boolean;
}

/**
 * What the case module needs to know of the letters a case sent: `record-delivery` is bounded by the day the letter
 * went out. The letters module implements it and provides it at start-up (the case module imports no letters).
 */
export interface LetterDispatchPort {
  /** an issued letter of this case (not a draft, not another case's), or null */
  issuedLetter(m: EntityManager, caseId: string, letterId: string): Promise<DispatchedLetter | null>;
  /** the day the first issued letter of this kind went out, or null when the case has none */
  firstSentOn(m: EntityManager, caseId: string, code: string): Promise<string | null>;
}

/** The port's slot: the letters module fills it on module init. */
@Injectable()
export class LetterDispatch implements LetterDispatchPort {
  private port: LetterDispatchPort | null = null;

  provide(port: LetterDispatchPort): void {
    this.port = port;
  }

  issuedLetter(m: EntityManager, caseId: string, letterId: string): Promise<DispatchedLetter | null> {
    return this.required().issuedLetter(m, caseId, letterId);
  }

  firstSentOn(m: EntityManager, caseId: string, code: string): Promise<string | null> {
    return this.required().firstSentOn(m, caseId, code);
  }

  private required(): LetterDispatchPort {
    if (!this.port) throw new Error('no letters module provides the letter-dispatch port');
    return this.port;
  }
}
