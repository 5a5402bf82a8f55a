// Layout and text components: Flex, Tile, Divider, Heading, Text, DescriptionList(Item). Each one's
// props are HubSpot's own prop type, so using a prop HubSpot does not have fails the typecheck.
import type { FC } from 'react';
import type { DescriptionListItemProps, DescriptionListProps, DividerProps, FlexProps, HeadingProps, TextProps, TileProps } from '@hubspot/ui-extensions';
import { cx, shortSize, testIdAttr } from './shared.js';

/** HubSpot's Flex: a flexbox with gap, direction, justify, align and wrap. */
export const Flex: FC<FlexProps> = ({ testId, children, direction = 'row', gap = 'flush', justify = 'start', align = 'stretch', alignSelf, wrap }) => {
  const wraps = wrap === true || wrap === 'wrap';
  return (
    <div
      {...testIdAttr(testId)}
      className={cx('hs-flex', `hs-flex--${direction}`, `hs-gap--${shortSize(gap, 'flush')}`, `hs-justify--${justify}`, `hs-align--${align}`, alignSelf && `hs-self--${alignSelf}`, wraps && 'hs-flex--wrap')}
    >
      {children}
    </div>
  );
};

/** HubSpot's Tile: a bordered white box, `compact` with less padding, `flush` with none. */
export const Tile: FC<TileProps> = ({ testId, children, compact, flush }) => (
  <div {...testIdAttr(testId)} className={cx('hs-tile', compact && 'hs-tile--compact', flush && 'hs-tile--flush')}>
    {children}
  </div>
);

/** HubSpot's Divider: a horizontal rule with a distance above and below. */
export const Divider: FC<DividerProps> = ({ testId, distance, size }) => (
  <hr {...testIdAttr(testId)} className={cx('hs-divider', `hs-divider--${shortSize(distance ?? size, 'sm')}`)} />
);

/** HubSpot's Heading (one size; `inline` keeps it in the text flow). */
export const Heading: FC<HeadingProps> = ({ testId, children, inline }) => (
  <h2 {...testIdAttr(testId)} className={cx('hs-heading', inline && 'hs-heading--inline')}>
    {children}
  </h2>
);

/** HubSpot's Text: body text or microcopy, with weight, italics, decoration, case and truncation. */
export const Text: FC<TextProps> = ({ testId, children, variant = 'bodytext', inline, format, truncate }) => {
  const Tag = inline ? 'span' : 'p';
  const classes = cx(
    'hs-text',
    `hs-text--${variant}`,
    format?.fontWeight && `hs-text--${format.fontWeight}`,
    format?.italic && 'hs-text--italic',
    format?.lineDecoration && `hs-text--${format.lineDecoration}`,
    format?.textTransform && `hs-text--${format.textTransform}`,
    truncate !== undefined && truncate !== false && 'hs-text--truncate',
  );
  const title = typeof truncate === 'object' ? truncate.tooltipText : undefined;
  return (
    <Tag {...testIdAttr(testId)} className={classes} title={title}>
      {children}
    </Tag>
  );
};

/** HubSpot's DescriptionList: label/value pairs in a row (side by side) or a column. */
export const DescriptionList: FC<DescriptionListProps> = ({ testId, children, direction = 'column' }) => (
  <dl {...testIdAttr(testId)} className={cx('hs-dl', `hs-dl--${direction}`)}>
    {children}
  </dl>
);

/** One pair of a DescriptionList: an uppercase label over its value. */
export const DescriptionListItem: FC<DescriptionListItemProps> = ({ testId, children, label }) => (
  <div {...testIdAttr(testId)} className="hs-dl__item">
    <dt className="hs-dl__label">{label}</dt>
    <dd className="hs-dl__value">{children}</dd>
  </div>
);
