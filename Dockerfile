FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/templates ./templates
COPY package.json ./
# VAR_DIR (./var): attachments under var/files, on a volume shared by the API and the worker
RUN mkdir -p /app/var/files && chown -R node:node /app/var
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
