/**
 * The README's snippets for protocol libraries, type-checked: each library
 * takes TracedWebSocket the way its own docs pass a WebSocket, with no cast.
 * (phoenix ships no types; e2e/libraries.spec.ts runs it.)
 */
import { Client } from '@stomp/stompjs';
import { createClient } from 'graphql-ws';
import mqtt from 'mqtt';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { TracedWebSocket } from '../../src/index';

const Traced = TracedWebSocket.with({ closeTimeout: 1000 });

export const graphql = createClient({ url: 'wss://example.com/graphql', webSocketImpl: Traced });
export const broker = mqtt.connect('wss://example.com/mqtt', { createWebsocket: (url: string, protocols: string[]) => new Traced(url, protocols) });
export const stomp = new Client({ webSocketFactory: () => new Traced('wss://example.com/stomp', ['v12.stomp']) });
export const yjs = new WebsocketProvider('wss://example.com/yjs', 'room', new Y.Doc(), { WebSocketPolyfill: Traced });
